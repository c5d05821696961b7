import EvalCore
import Testing

struct ContainsAllTests {
  @Test(arguments: [
    ("contains-all", "3-5 days or 1-2 days", true),
    ("contains-all", "3-5 days only", false),
    ("icontains-all", "3-5 DAYS OR 1-2 DAYS", true),
    ("contains-all", "3-5 DAYS OR 1-2 DAYS", false),
  ])
  func truthTable(type: String, output: String, pass: Bool) async throws {
    let value: JSONValue = ["3-5 days", "1-2 days"]
    #expect(try await Harness.passes(type, value, output: output) == pass)
    #expect(try await Harness.passes("not-" + type, value, output: output) == !pass)
  }

  @Test func reasonNamesWhatIsMissing() async throws {
    let r = try await Harness.result("contains-all", ["a", "b"], output: "a")
    #expect(r.reason.contains("\"b\""))
  }
}
