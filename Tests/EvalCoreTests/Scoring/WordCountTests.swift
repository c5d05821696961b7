import EvalCore
import Testing

struct WordCountTests {
  @Test(
    arguments: [
      (.number(3), "one two three", true),
      (.number(3), "one two", false),
      (["min": 2], "one two", true),
      (["min": 2], "one", false),
      (["max": 2], "one  \n two", true),
      (["max": 2], "one two three", false),
      (["min": 1, "max": 3], "", false),
    ] as [(JSONValue, String, Bool)])
  func truthTable(value: JSONValue, output: String, pass: Bool) async throws {
    #expect(try await Harness.passes("word-count", value, output: output) == pass)
    #expect(try await Harness.passes("not-word-count", value, output: output) == !pass)
  }

  @Test(arguments: [JSONValue("three"), ["min": 5, "max": 1], ["most": 3], JSONValue.object([:])] as [JSONValue])
  func badValuesAreLoadErrors(value: JSONValue) {
    #expect(Harness.buildError("word-count", value) != nil)
  }
}
