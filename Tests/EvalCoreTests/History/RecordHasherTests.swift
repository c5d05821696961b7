import EvalCore
import Foundation
import Testing

/// A record's hash computed from its header and its case bytes in pieces is the hash sealing gave it, and a
/// chain checked record by record breaks where the whole-array check does.
struct RecordHasherTests {
  static func hash(_ header: RunRecord, _ cases: Data, pieces size: Int, mode: RecordHasher.Mode) throws -> String {
    var hasher = try RecordHasher(header: header, mode: mode)
    var at = cases.startIndex
    while at < cases.endIndex {
      let end = min(cases.endIndex, at + size)
      try hasher.update(cases[at..<end])
      at = end
    }
    return try hasher.hex()
  }

  static func header(_ record: RunRecord) -> RunRecord {
    var header = record
    header.cases = []
    return header
  }

  @Test(arguments: [1, 13, 4_096, 1 << 20])
  func theHashOfPiecesIsTheSealedHash(_ size: Int) throws {
    var random = SplitMix64(seed: 5)
    let sealed = try AuditChain.seal(RunRecordDraftTests.record(2, cases: 200, &random), after: "prev")
    let cases = try CaseListParserTests.caseBytes(sealed)
    for mode in [RecordHasher.Mode.stored, .reencoded] {
      #expect(try Self.hash(Self.header(sealed), cases, pieces: size, mode: mode) == sealed.audit.hash)
    }
    // No cases at all.
    let empty = try AuditChain.seal(HistoryFixtures.record(3, cases: 0) { _ in true }, after: "")
    #expect(try Self.hash(empty, Data(), pieces: size, mode: .stored) == empty.audit.hash)
  }

  @Test func anotherSpellingOfTheSameCasesHashesAlikeOnlyWhenReencoded() throws {
    let sealed = try AuditChain.seal(HistoryFixtures.record(1, cases: 5) { $0 != 2 }, after: "")
    let cases = String(decoding: try CaseListParserTests.caseBytes(sealed), as: UTF8.self)
    let spaced = Data(cases.replacingOccurrences(of: "},{", with: "}, {").utf8)
    #expect(try Self.hash(Self.header(sealed), spaced, pieces: 7, mode: .stored) != sealed.audit.hash)
    #expect(try Self.hash(Self.header(sealed), spaced, pieces: 7, mode: .reencoded) == sealed.audit.hash)
    // A changed outcome changes both.
    let altered = Data(cases.replacingOccurrences(of: "failed", with: "passed").utf8)
    for mode in [RecordHasher.Mode.stored, .reencoded] {
      #expect(try Self.hash(Self.header(sealed), altered, pieces: 7, mode: mode) != sealed.audit.hash)
    }
    // Cases that are not a list cannot be hashed as decoded.
    #expect(throws: DecodingError.self) {
      try Self.hash(Self.header(sealed), Data(cases.dropLast().utf8), pieces: 7, mode: .reencoded)
    }
  }

  @Test func aVerifierRecordByRecordBreaksWhereTheChainDoes() throws {
    var chain = try HistoryFixtures.chain(5)
    func check(_ records: [RunRecord]) throws -> (ChainVerifier, AuditChain.Break?) {
      var verifier = ChainVerifier()
      for record in records {
        if let broken = verifier.link(Self.header(record)) { return (verifier, broken) }
        let actual = try Self.hash(
          Self.header(record), try CaseListParserTests.caseBytes(record), pieces: 100, mode: .stored)
        if let broken = verifier.contents(Self.header(record), hashedAs: actual) { return (verifier, broken) }
        verifier.accept(Self.header(record))
      }
      return (verifier, nil)
    }
    let (intact, none) = try check(chain)
    #expect(none == nil)
    #expect(intact.count == 5)
    #expect(intact.newest?.id == "run-4")
    #expect(intact.newest?.audit.hash == chain[4].audit.hash)

    chain[2].cases[2].outcome = .passed  // failed as sealed
    let (_, altered) = try check(chain)
    #expect(altered == AuditChain.verify(chain))
    #expect(altered?.position == 2)
    #expect(altered?.description.contains("altered") == true)

    let (_, removed) = try check(Array(chain[0..<1] + chain[3...]))
    #expect(removed == AuditChain.verify(Array(chain[0..<1] + chain[3...])))
    #expect(removed?.runID == "run-3")
    #expect(removed?.description.contains("removed, inserted or reordered") == true)
  }
}
