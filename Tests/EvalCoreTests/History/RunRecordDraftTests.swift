import Foundation
import Testing

@testable import EvalCore

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

  /// The points the draft tallies as its cases are added are the points of the record its text decodes to, to
  /// the bit, on generated records (NaN, infinities, negative zero, any finite double); its run id, and its
  /// start time as the text keeps it (whole milliseconds).
  @Test func theDraftsSuitePointsAreThoseOfItsDecodedRecord() throws {
    var random = SplitMix64(seed: 41)
    for round in 0..<200 {
      var record = Self.record(round, cases: random.int(below: 60), &random)
      record.startedAt = record.startedAt.addingTimeInterval(Double(random.int(below: 1000)) / 7000)
      record.suites += record.cases.prefix(2).map(\.suite) + ["no cases"]
      var draft = RunRecordDraft(record)
      let decoded = try AuditChain.decoder.decode(RunRecord.self, from: try draft.encoded())
      let points = draft.suitePoints()
      var seen = Set<String>()
      #expect(points.map(\.suite) == record.suites.filter { seen.insert($0).inserted })
      for (suite, point) in points {
        let expected = SuiteTrend.Point(run: decoded, suite: suite)
        #expect(Self.bits(point) == Self.bits(expected), "round \(round), suite \(suite)")
        #expect(point.runID == record.id && point.startedAt == decoded.startedAt)
      }
      // Tallied again, the same points: sorting the latencies in place changed nothing.
      #expect(draft.suitePoints().map { Self.bits($0.point) } == points.map { Self.bits($0.point) })
    }
  }

  static func bits(_ p: SuiteTrend.Point) -> [UInt64?] {
    [p.passRate, p.meanScore, p.latencyP50Ms, p.latencyP95Ms].map { $0?.bitPattern }
  }

  @Test func sealingTheDraftIsSealingTheRecord() throws {
    var random = SplitMix64(seed: 5)
    for round in 0..<20 {
      let record = Self.record(round, cases: 1 + random.int(below: 300), &random)
      let previous = round == 0 ? "" : String(repeating: "ab", count: 32)
      let expected = try AuditChain.seal(record, after: previous)
      let draft = RunRecordDraft(record)
      let sealed = try draft.sealed(after: previous)
      var header = expected
      header.cases = []
      #expect(sealed == header)
      let text = try draft.encoded(as: sealed)
      #expect(text == (try AuditChain.encode(expected)))
      // The stored text decodes to a record whose contents hash to its hash.
      let decoded = try AuditChain.decoder.decode(RunRecord.self, from: text)
      #expect(AuditChain.sha256(try AuditChain.canonicalBytes(decoded)) == sealed.audit.hash)
      // The draft itself is left unsealed (a failed insert spools it as it was).
      #expect(try draft.encoded() == AuditChain.encoder.encode(record))
      #expect(draft.count == record.cases.count)
    }
  }

  /// Beyond a megabyte the case bytes go to a temporary file: the record encodes, hashes, seals and reads back
  /// in pieces exactly as one held in memory, and a copy of the draft that adds cases leaves the original as it was.
  @Test func aDraftWhoseCasesWentToAFileEncodesTheSame() throws {
    var random = SplitMix64(seed: 23)
    var record = Self.record(3, cases: 0, &random)
    record.cases = (0..<15_000).map { (i: Int) -> RunRecord.CaseOutcome in
      let outcome: Outcome = i % 5 == 0 ? .failed : .passed
      let score = Double(i % 7) / 7
      let latency = Double(i) / 3
      return RunRecord.CaseOutcome(
        id: String(format: "%016x", i), suite: "plain", outcome: outcome, score: score,
        scores: ["m\\\"": Double(i)], latencyMs: latency)
    }
    let expected = try AuditChain.encoder.encode(record)
    let draft = RunRecordDraft(record)
    #expect(draft.caseBytes > 1 << 20)
    #expect(try draft.encoded() == expected)
    #expect(try draft.digest() == AuditChain.sha256(expected))
    var sealed = try AuditChain.seal(record, after: "ab")
    sealed.cases = []
    #expect(try draft.sealed(after: "ab") == sealed)
    // Pieces of any size, by closure or by offset, join to the case bytes between the list's brackets.
    let list = try RunRecordReader.caseList(in: expected)
    let cases = expected[(list.lowerBound + 1)..<(list.upperBound - 1)]
    for size in [1_000, 333_333, 1 << 20, 5 << 20] {
      var joined = Data()
      try draft.forEachCasePiece(maxBytes: size) { joined.append(contentsOf: $0) }
      #expect(joined == cases)
      var byOffset = Data()
      while byOffset.count < draft.caseBytes {
        let piece = try draft.casePiece(at: byOffset.count, maxBytes: size)
        #expect(!piece.isEmpty && piece.count <= size)
        byOffset.append(piece)
      }
      #expect(byOffset == cases)
    }
    // What stays in memory is under a megabyte and a case, however many cases there are.
    #expect(draft.caseBytesInMemory < (1 << 20) + 200)
    var copy = draft
    for c in record.cases.prefix(12_000) { copy.append(c) }
    #expect(copy.caseBytesInMemory < (1 << 20) + 200)
    #expect(try draft.encoded() == expected)
    var doubled = record
    doubled.cases += record.cases.prefix(12_000)
    #expect(try copy.encoded() == AuditChain.encoder.encode(doubled))
  }

  /// A provider labelled `cases` that no model answered writes `"cases":[]` inside the audit, before the
  /// record's own case list: the cases still go into the record's list.
  @Test func aProviderNamedCasesDoesNotTakeTheCases() throws {
    var random = SplitMix64(seed: 4)
    var record = Self.record(2, cases: 3, &random)
    record.audit.providers = ["cases": []]
    #expect(try RunRecordDraft(record).encoded() == AuditChain.encoder.encode(record))
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
