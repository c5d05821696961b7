import EvalCore
import Testing

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
}
