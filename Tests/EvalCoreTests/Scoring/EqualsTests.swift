import EvalCore
import Testing

struct EqualsTests {
  @Test(arguments: [
    ("hello", "hello", true),
    ("hello", "hello ", false),
    ("Hello", "hello", false),
    ("", "x", false),
  ])
  func strings(output: String, value: String, pass: Bool) async throws {
    #expect(try await Harness.passes("equals", .string(value), output: output) == pass)
    #expect(try await Harness.passes("not-equals", .string(value), output: output) == !pass)
  }

  @Test func objectValueComparesParsedJSONIgnoringKeyOrder() async throws {
    let value: JSONValue = ["a": 1, "b": ["x", true]]
    #expect(try await Harness.passes("equals", value, output: #"{"b": ["x", true], "a": 1}"#))
    #expect(try await Harness.passes("equals", value, output: "```json\n{\"a\":1,\"b\":[\"x\",true]}\n```"))
    #expect(try await !Harness.passes("equals", value, output: #"{"a": 2, "b": ["x", true]}"#))
    #expect(try await !Harness.passes("equals", value, output: "not json"))
  }

  @Test func numbersCompareAsText() async throws {
    #expect(try await Harness.passes("equals", 42, output: "42"))
    #expect(try await !Harness.passes("equals", 42, output: "42.5"))
  }

  @Test func missingValueIsALoadError() {
    #expect(Harness.buildError("equals")?.message.contains("needs a 'value'") == true)
  }
}
