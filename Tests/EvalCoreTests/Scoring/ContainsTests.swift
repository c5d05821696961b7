import EvalCore
import Testing

struct ContainsTests {
  @Test(arguments: [
    ("contains", "The refund window is 30 days", "30 days", true),
    ("contains", "The refund window is 30 Days", "30 days", false),
    ("icontains", "The refund window is 30 Days", "30 days", true),
    ("icontains", "nothing here", "30 days", false),
    ("contains", "", "x", false),
  ])
  func truthTable(type: String, output: String, value: String, pass: Bool) async throws {
    #expect(try await Harness.passes(type, .string(value), output: output) == pass)
    #expect(try await Harness.passes("not-" + type, .string(value), output: output) == !pass)
  }

  @Test func numberValueIsMatchedAsText() async throws {
    #expect(try await Harness.passes("contains", 30, output: "within 30 days"))
  }

  @Test func negatedScoreIsOneMinusScore() async throws {
    let r = try await Harness.result("not-contains", "x", output: "x")
    #expect(!r.pass)
    #expect(r.score == 0)
  }

  @Test func listValueIsALoadError() {
    #expect(Harness.buildError("contains", ["a"]) != nil)
  }
}
