import EvalCore
import Testing

struct FinishReasonTests {
  @Test(
    arguments: [
      ("stop", "stop", true),
      ("STOP", "stop", true),
      ("length", "stop", false),
      (nil, "stop", false),
    ] as [(String?, String, Bool)])
  func truthTable(reason: String?, value: String, pass: Bool) async throws {
    #expect(try await Harness.passes("finish-reason", .string(value), output: "x", finishReason: reason) == pass)
    #expect(try await Harness.passes("not-finish-reason", .string(value), output: "x", finishReason: reason) == !pass)
  }
}
