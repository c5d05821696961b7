import EvalCore
import Foundation
import Testing

struct AuditChainTests {
  @Test func aRecordEncodedCaseByCaseIsTheEncoderOutput() throws {
    var record = HistoryFixtures.record(1, cases: 3) { $0 != 1 }
    let odd = ["\"cases\":[]", "a/b \\", "ünï 😀", "\u{1}", "cases"]
    record.cases = (0..<500).map { i -> RunRecord.CaseOutcome in
      let id: String = odd[i % odd.count] + String(i)
      let suite: String = i % 3 == 0 ? "s\"1" : "s2"
      let outcome: Outcome = i % 4 == 0 ? .failed : .passed
      let score: Double? = i % 5 == 0 ? nil : Double(i) / 7
      let scores: [String: Double]? = i % 2 == 0 ? ["m": 0.1 * Double(i)] : nil
      return RunRecord.CaseOutcome(
        id: id, suite: suite, outcome: outcome, score: score, scores: scores, latencyMs: Double(i) * 1.25)
    }
    #expect(try AuditChain.encode(record) == AuditChain.encoder.encode(record))
    // Past a piece's 64 KB too, as text, and hashed piece by piece.
    record.cases += Array(repeating: record.cases, count: 4).joined()
    let whole = try AuditChain.encoder.encode(record)
    #expect(whole.count > 1 << 17)
    #expect(try AuditChain.encode(record) == whole)
    #expect(try AuditChain.encodedText(record) == String(decoding: whole, as: UTF8.self))
    let sealed = try AuditChain.seal(record, after: "abc")
    #expect(sealed.audit.hash == AuditChain.sha256(try AuditChain.canonicalBytes(sealed)))
    #expect(AuditChain.verify([try AuditChain.seal(record, after: "")]) == nil)
    record.cases = []
    #expect(try AuditChain.encode(record) == AuditChain.encoder.encode(record))
  }

  @Test func aDigestInPiecesIsTheDigestOfTheWhole() {
    var bytes = [UInt8](repeating: 0, count: 300_001)
    for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 31 &+ i / 7) }
    var digest = AuditChain.Digest()
    for start in stride(from: 0, to: bytes.count, by: 65_536) {
      digest.update(Data(bytes[start..<min(start + 65_536, bytes.count)]))
    }
    #expect(digest.hex() == AuditChain.sha256(Data(bytes)))
    #expect(AuditChain.Digest().hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  @Test func anIntactChainVerifies() throws {
    let chain = try HistoryFixtures.chain(6)
    #expect(AuditChain.verify(chain) == nil)
    #expect(chain[0].audit.previousHash == "")
    for i in 1..<chain.count { #expect(chain[i].audit.previousHash == chain[i - 1].audit.hash) }
    #expect(Set(chain.map(\.audit.hash)).count == 6)
    #expect(chain.allSatisfy { $0.audit.hash.count == 64 })
  }

  @Test func aRoundTripThroughStoredJSONKeepsTheHash() throws {
    let chain = try HistoryFixtures.chain(3)
    let decoded = try chain.map {
      try AuditChain.decoder.decode(RunRecord.self, from: try AuditChain.encoder.encode($0))
    }
    #expect(decoded == chain)
    #expect(AuditChain.verify(decoded) == nil)
  }

  @Test func canonicalBytesSortKeysAndIgnoreTheHashField() throws {
    let record = try HistoryFixtures.chain(1)[0]
    let text = String(decoding: try AuditChain.canonicalBytes(record), as: UTF8.self)
    #expect(text.contains("\"hash\":\"\""))
    let actor = try #require(text.range(of: "\"actor\""))
    let branch = try #require(text.range(of: "\"branch\""))
    #expect(actor.lowerBound < branch.lowerBound)
    #expect(text.contains("\"startedAt\":\"2026-09-21T"))
    #expect(AuditChain.sha256(try AuditChain.canonicalBytes(record)) == record.audit.hash)
  }

  @Test func anAlteredRecordIsNamed() throws {
    var chain = try HistoryFixtures.chain(5)
    chain[2].gate = .failed
    let broken = try #require(AuditChain.verify(chain))
    #expect(broken.position == 2)
    #expect(broken.runID == "run-2")
    #expect(broken.description.contains("altered"))
  }

  @Test func anAlteredAuditFieldIsNamed() throws {
    var chain = try HistoryFixtures.chain(4)
    chain[1].audit.gitCommit = "fffffff"
    #expect(AuditChain.verify(chain)?.position == 1)
  }

  @Test func aRemovedRecordBreaksTheNextLink() throws {
    var chain = try HistoryFixtures.chain(5)
    chain.remove(at: 1)
    let broken = try #require(AuditChain.verify(chain))
    #expect(broken.position == 1)
    #expect(broken.runID == "run-2")
    #expect(broken.description.contains("removed"))
  }

  @Test func aRehashedAlterationStillBreaksTheFollowingLink() throws {
    var chain = try HistoryFixtures.chain(4)
    chain[1].passRate = 0.5
    chain[1] = try AuditChain.seal(chain[1], after: chain[0].audit.hash)
    #expect(AuditChain.verify(chain)?.position == 2)
  }

  @Test func runIDsAreTimeOrdered() {
    let a = RunRecord.makeID(startedAt: Date(timeIntervalSince1970: 1_790_000_000), random: 0xABCDEF12)
    let b = RunRecord.makeID(startedAt: Date(timeIntervalSince1970: 1_790_000_001), random: 1)
    #expect(a == "20260921T141320Z-cdef12")
    #expect(b == "20260921T141321Z-000001")
    #expect(a < b)
  }
}
