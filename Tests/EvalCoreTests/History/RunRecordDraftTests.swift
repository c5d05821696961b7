import EvalCore
import Foundation
import Testing

/// The draft writes each case's JSON by hand: held to `JSONEncoder`'s bytes on generated records (strings with
/// every escape, numbers of every shape, named scores with awkward keys), and its seal to `AuditChain.seal`.
struct RunRecordDraftTests {
  @Test func generatedRecordsEncodeAsTheEncoderDoes() throws {
    var random = SplitMix64(seed: 17)
    for round in 0..<200 {
      let record = Self.record(round, cases: random.int(below: 40), &random)
      let expected = try AuditChain.encoder.encode(record)
      let actual = try RunRecordDraft(record).encoded()
      #expect(actual == expected, "round \(round): \(Self.difference(actual, expected))")
      #expect(try RunRecordDraft(record).digest() == AuditChain.sha256(expected))
    }
  }

  @Test func sealingTheDraftIsSealingTheRecord() throws {
    var random = SplitMix64(seed: 5)
    for round in 0..<20 {
      let record = Self.record(round, cases: 1 + random.int(below: 300), &random)
      let previous = round == 0 ? "" : String(repeating: "ab", count: 32)
      let expected = try AuditChain.seal(record, after: previous)
      var draft = RunRecordDraft(record)
      let made = try draft.seal(after: previous)
      var header = expected
      header.cases = []
      #expect(made.record == header)
      #expect(made.text == (try AuditChain.encodedText(expected)))
      // The stored text decodes to a record whose contents hash to its hash.
      let decoded = try AuditChain.decoder.decode(RunRecord.self, from: Data(made.text.utf8))
      #expect(AuditChain.sha256(try AuditChain.canonicalBytes(decoded)) == made.record.audit.hash)
      // A failed insert gives the text back: the draft encodes the unsealed record again.
      try draft.restore(made)
      #expect(try draft.encoded() == AuditChain.encoder.encode(record))
      #expect(draft.count == record.cases.count)
    }
  }

  @Test func aDraftReadsBackAsItsRecord() throws {
    var random = SplitMix64(seed: 9)
    let record = Self.record(1, cases: 50, &random)
    // Decoding is exact (shortest round-trip text); compared as bytes, since NaN is not equal to itself.
    let back = try RunRecordDraft(record).record()
    #expect(back.cases.count == 50)
    #expect(try AuditChain.encode(back) == AuditChain.encoder.encode(record))
  }

  /// Where two encodings part: the text around the first differing byte of each.
  static func difference(_ a: Data, _ b: Data) -> String {
    let at = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
    func around(_ d: Data) -> String { String(decoding: d[max(0, at - 40)..<min(d.count, at + 40)], as: UTF8.self) }
    return "at byte \(at): \(around(a).debugDescription) vs \(around(b).debugDescription)"
  }

  /// A record whose strings, numbers and named scores cover what the encoder escapes or spells specially.
  static func record(_ n: Int, cases count: Int, _ random: inout SplitMix64) -> RunRecord {
    var record = HistoryFixtures.record(n, cases: 0) { _ in true }
    record.suites = [string(&random), "plain"]
    record.cases = (0..<count).map { _ in
      RunRecord.CaseOutcome(
        id: string(&random), suite: random.int(below: 3) == 0 ? string(&random) : "plain",
        outcome: [Outcome.passed, .failed, .errored, .skipped][random.int(below: 4)],
        score: random.int(below: 4) == 0 ? nil : number(&random),
        scores: random.int(below: 2) == 0
          ? nil : Dictionary((0..<random.int(below: 4)).map { _ in (string(&random), number(&random)) }) { a, _ in a },
        latencyMs: random.int(below: 5) == 0 ? nil : number(&random))
    }
    return record
  }

  static let pieces: [String] = [
    "a", "Z", "_", "0", "9", "10", "/", "\\", "\"", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{a}", "\u{c}", "\u{d}",
    "\u{1f}", "\u{7f}", "é", "e\u{301}", "\u{2028}", "\u{fffd}", "😀", "👩‍👩‍👧", "中", " ", "\"cases\":[]", "cases",
  ]

  static func string(_ random: inout SplitMix64) -> String {
    (0..<random.int(below: 6)).map { _ in pieces[random.int(below: pieces.count)] }.joined()
  }

  static func number(_ random: inout SplitMix64) -> Double {
    switch random.int(below: 12) {
    case 0: return .nan
    case 1: return random.int(below: 2) == 0 ? .infinity : -.infinity
    case 2: return -0.0
    case 3: return Double(random.int(below: 1000))
    case 4: return .leastNonzeroMagnitude
    case 5: return .greatestFiniteMagnitude
    case 6: return 1e15 + Double(random.int(below: 10))
    case 7: return Double(random.int(below: 100_000)) / 1000
    default:
      // Any finite double, from its bits.
      while true {
        let d = Double(bitPattern: random.next())
        if d.isFinite { return d }
      }
    }
  }
}

extension SplitMix64 {
  fileprivate mutating func int(below bound: Int) -> Int { Int.random(in: 0..<bound, using: &self) }
}
