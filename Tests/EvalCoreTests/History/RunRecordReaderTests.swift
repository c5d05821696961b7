import EvalCore
import Foundation
import Testing

/// A stored record read case by case is the record `JSONDecoder` reads whole.
struct RunRecordReaderTests {
  @Test func aRecordReadCaseByCaseIsTheDecodedRecord() throws {
    var rng = SplitMix64(seed: 3)
    var record = HistoryFixtures.record(1, cases: 0) { _ in true }
    record.verdict = "HOLD"
    record.exitCode = 3
    let odd = ["\"cases\":[]", "a/b \\ \"q\"", "ünï 😀", "\u{1}\u{1F}\t\n", "cases", "], {\"id\":", ""]
    let values: [Double] = [
      0, -0.0, 1, 0.1, 1e-7, 123_456.789, .nan, .infinity, -.infinity, 5e-324, 1.7976931348623157e308,
    ]
    record.cases = (0..<400).map { i -> RunRecord.CaseOutcome in
      func value() -> Double? {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: nil
        case 1: values[Int.random(in: 0..<values.count, using: &rng)]
        default: Double.random(in: -1000...1000, using: &rng) / Double(Int.random(in: 1...999, using: &rng))
        }
      }
      var scores: [String: Double] = [:]
      for name in ["m", odd[i % odd.count], "accuracy"] where Bool.random(using: &rng) { scores[name] = value() ?? 0.5 }
      return RunRecord.CaseOutcome(
        id: odd[i % odd.count] + String(i), suite: i % 3 == 0 ? "s\"1" : "s2",
        outcome: Outcome.allCases[i % Outcome.allCases.count], score: value(),
        scores: i % 5 == 0 ? nil : scores.isEmpty && i % 2 == 0 ? [:] : scores, latencyMs: value())
    }
    let bytes = try AuditChain.encode(record)
    let decoded = try AuditChain.decoder.decode(RunRecord.self, from: bytes)
    let reader = try RunRecordReader(bytes)
    var header = decoded
    header.cases = []
    #expect(Self.same(reader.header, header))
    let read = Array(reader.cases)
    #expect(read.count == decoded.cases.count)
    for (a, b) in zip(read, decoded.cases) { #expect(Self.same(a, b), "\(a) vs \(b)") }
    #expect(Self.same(reader.record, decoded))
    // A slice of a larger buffer reads the same.
    let padded = Data("xx".utf8) + bytes
    #expect(Self.same(try RunRecordReader(padded[2...]).record, decoded))
    // Pretty-printed JSON (spaces, new lines) too.
    let encoder = AuditChain.encoder
    encoder.outputFormatting.insert(.prettyPrinted)
    #expect(Self.same(try RunRecordReader(try encoder.encode(record)).record, decoded))
    record.cases = []
    #expect(Array(try RunRecordReader(try AuditChain.encode(record)).cases).isEmpty)
  }

  @Test func aMalformedRecordThrowsWhenRead() throws {
    let record = HistoryFixtures.record(1, cases: 3) { $0 != 1 }
    #expect(Array(try RunRecordReader(try AuditChain.encode(record)).cases) == record.cases)
    let text = String(decoding: try AuditChain.encode(record), as: UTF8.self)
    for broken in [
      text.replacingOccurrences(of: "\"outcome\":\"failed\"", with: "\"outcome\":\"lost\""),
      text.replacingOccurrences(of: "\"latencyMs\":100", with: "\"latencyMs\":\"x\""),
      text.replacingOccurrences(of: "},{", with: "}{"),
      text.replacingOccurrences(of: "\"cases\":[", with: "\"cases\":{"),
      text.replacingOccurrences(of: "\"cases\":", with: "\"casez\":"),
      text.replacingOccurrences(of: ",\"suite\":\"s\"}", with: "}"),
      String(text.dropLast()),
      "",
    ] {
      #expect(broken != text)
      #expect(throws: (any Error).self, "\(broken.prefix(80))") { try RunRecordReader(Data(broken.utf8)) }
    }
  }

  /// Equal, NaN included.
  static func same(_ a: RunRecord.CaseOutcome, _ b: RunRecord.CaseOutcome) -> Bool {
    func bits(_ x: Double?) -> UInt64? { x.map { $0.isNaN ? 1 : $0.bitPattern } }
    return a.id == b.id && a.suite == b.suite && a.outcome == b.outcome && bits(a.score) == bits(b.score)
      && bits(a.latencyMs) == bits(b.latencyMs) && a.scores?.mapValues(bits) == b.scores?.mapValues(bits)
  }

  static func same(_ a: RunRecord, _ b: RunRecord) -> Bool {
    var x = a
    var y = b
    x.cases = []
    y.cases = []
    return x == y && a.cases.count == b.cases.count && zip(a.cases, b.cases).allSatisfy { same($0, $1) }
  }
}
