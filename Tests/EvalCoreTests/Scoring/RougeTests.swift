import Testing

@testable import EvalCore

struct RougeTests {
  static let reference = "The refund window is 30 days from delivery."

  @Test(
    arguments: [
      ("rouge-1", "The refund window is 30 days from delivery.", nil, true),
      ("rouge-1", "Refunds: 30 days.", nil, false),  // 2 of 3 and 2 of 8 words: F 0.36 < 0.75
      ("rouge-1", "Refunds: 30 days.", 0.35, true),
      ("rouge-2", "the refund window is thirty days", 0.5, true),
      ("rouge-l", "delivery from days 30 is window refund the", 0.5, false),  // same words, reversed
      ("rouge-n", "The refund window is 30 days from delivery", nil, true),
    ] as [(String, String, Double?, Bool)])
  func truthTable(type: String, output: String, threshold: Double?, pass: Bool) async throws {
    #expect(try await Harness.passes(type, .string(Self.reference), threshold: threshold, output: output) == pass)
    #expect(
      try await Harness.passes("not-" + type, .string(Self.reference), threshold: threshold, output: output) == !pass)
  }

  @Test func theScoreIsTheFMeasureAndTheBestReferenceCounts() async throws {
    let r = try await Harness.result(
      "rouge-1", .array(["something else", .string(Self.reference)]), output: Self.reference)
    #expect(r.score == 1 && r.pass)
    #expect(Harness.buildError("rouge-l", .string("x"), threshold: 2)?.message.contains("between 0 and 1") == true)
    #expect(Harness.buildError("rouge-1") != nil)
  }

  /// rouge-score's tokens are Python's `lower()` then `[a-z0-9]` runs, compared as code points. Expected:
  /// `RougeScorer(...).score(reference, output)[type].fmeasure` (rouge-score 0.1.2).
  @Test(arguments: [
    ("rouge-1", "the kelvin scale", "The \u{212A}elvin scale", 1.0),
    ("rouge-1", "cafe\u{301} au lait", "caf\u{E9} au lait", 0.6666666666666666),
    ("rouge-2", "cafe\u{301} au lait", "caf\u{E9} au lait", 0.5),
    ("rouge-l", "cafe\u{301} au lait", "caf\u{E9} au lait", 0.6666666666666666),
  ])
  func unicodeAsRougeScore(type: String, output: String, reference: String, expected: Double) async throws {
    let r = try await Harness.result(type, .string(reference), threshold: 0, output: output)
    #expect(abs(r.score - expected) < 1e-12, "\(r.score) vs \(expected)")
  }

  @Test func aListScoresItsBestReferenceAsScoreMulti() async throws {
    // score_multi(["The refund window is 30 days from delivery.", "refunds take 30 days"], "Refunds: 30 days.")
    let references: JSONValue = .array([.string(Self.reference), "refunds take 30 days"])
    let r1 = try await Harness.result("rouge-1", references, output: "Refunds: 30 days.")
    #expect(abs(r1.score - 0.8571428571428571) < 1e-12 && r1.pass)
    let r2 = try await Harness.result("rouge-2", references, output: "Refunds: 30 days.")
    #expect(abs(r2.score - 0.4) < 1e-12 && !r2.pass)
  }

  /// The bit-parallel LCS (64 tokens a word) agrees with the textbook table, across word boundaries.
  @Test func longestCommonSubsequenceAgreesWithTheTextbookTable() {
    var random = SplitMix64(seed: 42)
    for round in 0..<300 {
      let alphabet = UInt32(2 + round % 7)
      let a = (0..<random.below(round < 100 ? 70 : 260)).map { _ in UInt32(random.below(Int(alphabet))) }
      let b = (0..<random.below(260)).map { _ in UInt32(random.below(Int(alphabet))) }
      var previous = [Int](repeating: 0, count: b.count + 1)
      for x in a {
        var current = [0]
        for (j, y) in b.enumerated() { current.append(x == y ? previous[j] + 1 : max(previous[j + 1], current[j])) }
        previous = current
      }
      #expect(EditDistance.longestCommonSubsequence(a, b) == previous[b.count], "round \(round)")
    }
  }

  @Test func rougeLOfTwoHugeTextsFailsSayingItWasNotComputed() async throws {
    // 120,000 tokens on each side, all shared: ⌈120000/64⌉ · 120000 = 225,000,000 > 2^25 steps.
    let words = (0..<120_000).map { "w\($0 % 5_000)" }
    let text = words.joined(separator: " ")
    let reversed = words.reversed().joined(separator: " ")
    #expect(TextMetrics.rougeL(prediction: text, reference: reversed) == nil)
    let r = try await Harness.result("rouge-l", .string(reversed), threshold: 0.1, output: text)
    #expect(!r.pass && r.reason.contains("not computed"))
  }
}
