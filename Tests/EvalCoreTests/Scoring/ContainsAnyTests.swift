import EvalCore
import Testing

struct ContainsAnyTests {
  @Test(arguments: [
    ("contains-any", "full refund", true),
    ("contains-any", "Store Credit", false),
    ("icontains-any", "Store Credit", true),
    ("contains-any", "exchange only", false),
  ])
  func truthTable(type: String, output: String, pass: Bool) async throws {
    let value: JSONValue = ["full refund", "store credit"]
    #expect(try await Harness.passes(type, value, output: output) == pass)
    #expect(try await Harness.passes("not-" + type, value, output: output) == !pass)
  }

  @Test func commaSeparatedString() async throws {
    #expect(try await Harness.passes("contains-any", "apple, pear", output: "a pear"))
    #expect(try await !Harness.passes("contains-any", "apple, pear", output: "a plum"))
  }

  @Test func emptyListIsALoadError() {
    #expect(Harness.buildError("contains-any", []) != nil)
  }
}
