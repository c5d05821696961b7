import EvalCore
import Testing

struct StartsWithTests {
  @Test(arguments: [
    ("I'm sorry, I can't", "I'm sorry", true),
    (" I'm sorry", "I'm sorry", false),
    ("i'm sorry", "I'm sorry", false),
    ("", "I'm sorry", false),
  ])
  func truthTable(output: String, value: String, pass: Bool) async throws {
    #expect(try await Harness.passes("starts-with", .string(value), output: output) == pass)
    #expect(try await Harness.passes("not-starts-with", .string(value), output: output) == !pass)
  }
}
