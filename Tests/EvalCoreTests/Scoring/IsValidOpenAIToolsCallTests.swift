import EvalCore
import Testing

struct IsValidOpenAIToolsCallTests {
  static let tools: JSONValue = [
    [
      "type": "function",
      "function": [
        "name": "get_weather",
        "parameters": [
          "type": "object", "required": ["city"],
          "properties": ["city": ["type": "string"], "unit": ["type": "string", "enum": ["c", "f"]]],
        ],
      ],
    ],
    ["type": "function", "function": ["name": "get_time"]],
  ]

  @Test(arguments: [
    (#"[{"type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]"#, true),
    (#"{"tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Oslo","unit":"c"}}}]}"#, true),
    (#"{"name":"get_time","arguments":"{}"}"#, true),
    ("```json\n[{\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]\n```", true),
    (#"[{"function":{"name":"get_weather","arguments":"{\"unit\":\"c\"}"}}]"#, false),  // city missing
    (#"[{"function":{"name":"get_weather","arguments":"{\"city\":\"Rome\",\"unit\":\"k\"}"}}]"#, false),
    (#"[{"function":{"name":"send_email","arguments":"{}"}}]"#, false),  // not a listed tool
    (#"[{"function":{"name":"get_weather","arguments":"{city: Paris}"}}]"#, false),  // arguments not JSON
    ("The weather in Paris is sunny.", false),
    ("[]", false),
  ])
  func truthTable(output: String, valid: Bool) async throws {
    #expect(try await Harness.passes("is-valid-openai-tools-call", Self.tools, output: output) == valid)
    #expect(try await Harness.passes("not-is-valid-openai-tools-call", Self.tools, output: output) == !valid)
  }

  @Test func toolsAreRequired() {
    #expect(Harness.buildError("is-valid-openai-tools-call") != nil)
    #expect(Harness.buildError("is-valid-openai-tools-call", [["type": "function"]]) != nil)
  }
}
