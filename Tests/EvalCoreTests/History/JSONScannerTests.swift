import Foundation
import Testing

@testable import EvalCore

/// The stored cases' reader: the short decimals it reads without `strtod`, and the keys and words it tells from
/// their bytes.
struct JSONScannerTests {
  static func shortDecimal(_ text: String) -> Double? {
    var text = text
    return text.withUTF8 { JSONScanner.shortDecimal(UnsafeRawBufferPointer($0)) }
  }

  /// Random decimals of 1 to 18 digits, with and without a point and a sign, leading zeros, and the shortest
  /// spellings Swift gives random doubles and latencies: every one read without `strtod` is the `Double` that
  /// `Double(_:)` reads, to the bit, and the short ones (at most 15 digits, no exponent) are all read so.
  @Test func shortDecimalsAreTheDoublesStrtodReads() {
    var rng = SplitMix64(seed: 23)
    var fast = 0
    var texts: [String] = []
    for _ in 0..<100_000 {
      let count = Int.random(in: 1...18, using: &rng)
      var digits = (0..<count).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
      if Bool.random(using: &rng) {
        digits.insert(".", at: digits.index(digits.startIndex, offsetBy: Int.random(in: 0..<count, using: &rng)))
        if digits.first == "." { digits = "0" + digits }
      }
      texts.append((Int.random(in: 0..<4, using: &rng) == 0 ? "-" : "") + digits)
    }
    for _ in 0..<20_000 {
      texts.append("\(Double.random(in: -1_000...1_000, using: &rng))")
      texts.append("\(Double(Int.random(in: 0...60_000_000, using: &rng)) / 1_000_000)")
      texts.append("\(Double(Int.random(in: 0...10_000, using: &rng)) / 10_000)")
    }
    texts += ["0", "-0", "0.0", "-0.0", "1", "999999999999999", "0.000000000000001", "123456789.012345"]
    for text in texts {
      guard let expected = Double(text) else { continue }
      let digits = text.filter(\.isNumber).count
      let plain = !text.contains("e") && !text.hasSuffix(".") && !text.hasPrefix(".") && !text.hasPrefix("-.")
      if let got = Self.shortDecimal(text) {
        fast += 1
        #expect(got.bitPattern == expected.bitPattern, "\(text)")
        #expect(digits <= 15 && plain, "\(text)")
      } else {
        #expect(digits > 15 || !plain, "\(text) was left to strtod")
      }
    }
    #expect(fast > 80_000)
  }

  /// What is not a plain decimal of at most 15 digits is left to `strtod` (or to the error it leads to).
  @Test func otherNumbersAreLeftToStrtod() {
    for text in [
      "", "-", ".", "1.", ".5", "-.5", "1e5", "1E-3", "+1", "1.2.3", "0x10", "1234567890123456", "1-2", "1.-2", "--1",
      "0.0000000000000001",
    ] {
      #expect(Self.shortDecimal(text) == nil, "\(text)")
    }
  }

  /// A case's keys and outcome word are told from their bytes, or, spelled with escapes, from the strings they
  /// unescape to; unknown keys are skipped and an unknown outcome is an error.
  @Test func keysAndWordsAreReadWithAndWithoutEscapes() throws {
    func parse(_ json: String) throws -> RunRecord.CaseOutcome {
      var json = json
      return try json.withUTF8 { bytes in
        var scanner = JSONScanner(UnsafeRawBufferPointer(bytes))
        return try scanner.caseOutcome()
      }
    }
    let plain = try parse(
      #"{"id":"a","latencyMs":2.5,"outcome":"failed","score":0.25,"scores":{"f1":1},"suite":"s","x":[1,{"y":null}]}"#)
    let escaped = try parse(
      #"{"\u0069d":"a","latency\u004ds":2.5,"outcome":"f\u0061iled","sc\u006fre":0.25,"\u0073cores":{"f1":1},"#
        + #""suit\u0065":"s","x":true}"#)
    let expected = RunRecord.CaseOutcome(
      id: "a", suite: "s", outcome: .failed, score: 0.25, scores: ["f1": 1], latencyMs: 2.5)
    #expect(plain == expected)
    #expect(escaped == expected)
    for word in Outcome.allCases {
      #expect(try parse(#"{"id":"a","suite":"s","outcome":"\#(word.rawValue)"}"#).outcome == word)
    }
    #expect(throws: DecodingError.self) { try parse(#"{"id":"a","suite":"s","outcome":"passedx"}"#) }
    #expect(throws: DecodingError.self) { try parse(#"{"id":"a","suite":"s","outcome":"pass"}"#) }
    #expect(throws: DecodingError.self) { try parse(#"{"id":"a","suite":"s"}"#) }
    #expect(throws: DecodingError.self) { try parse(#"{"id":"a","suite":"s","outcome":"passed","x":a{}}"#) }
  }
}
