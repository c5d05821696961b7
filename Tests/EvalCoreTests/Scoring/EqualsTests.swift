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

  @Test func integersBeyondTwoToTheFiftyThreeCompareExactly() async throws {
    let value: JSONValue = ["id": .bigInteger("9007199254740993")]
    #expect(try await Harness.passes("equals", value, output: #"{"id": 9007199254740993}"#))
    #expect(try await !Harness.passes("equals", value, output: #"{"id": 9007199254740992}"#))
    #expect(try await !Harness.passes("equals", ["n": 9_007_199_254_740_992], output: #"{"n": 9007199254740993}"#))
    #expect(try await Harness.passes("equals", .bigInteger("9007199254740993"), output: "9007199254740993"))
  }

  @Test func objectValueNeedsStrictJSON() async throws {
    #expect(try await !Harness.passes("equals", ["a": 1], output: #"{"a": 1,}"#))
  }
}
