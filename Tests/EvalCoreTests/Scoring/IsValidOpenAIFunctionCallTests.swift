import EvalCore
import Testing

struct IsValidOpenAIFunctionCallTests {
  static let functions: JSONValue = [
    [
      "name": "get_current_weather",
      "parameters": [
        "type": "object", "required": ["location"],
        "properties": [
          "location": ["type": "string"], "unit": ["type": "string", "enum": ["celsius", "fahrenheit"]],
        ],
      ],
    ]
  ]

  @Test(arguments: [
    (#"{"name":"get_current_weather","arguments":"{\"location\":\"Boston, MA\"}"}"#, true),
    (#"{"function_call":{"name":"get_current_weather","arguments":{"location":"Paris","unit":"celsius"}}}"#, true),
    (#"{"name":"get_current_weather","arguments":"{\"unit\":\"celsius\"}"}"#, false),  // location missing
    (#"{"name":"get_current_weather","arguments":"{\"location\":\"Oslo\",\"unit\":\"kelvin\"}"}"#, false),
    (#"{"name":"send_email","arguments":"{}"}"#, false),
    ("It is sunny in Boston.", false),
  ])
  func truthTable(output: String, valid: Bool) async throws {
    #expect(try await Harness.passes("is-valid-openai-function-call", Self.functions, output: output) == valid)
    #expect(try await Harness.passes("not-is-valid-openai-function-call", Self.functions, output: output) == !valid)
  }

  @Test func withoutAValueTheProvidersSchemasAreUsed() throws {
    let bare = Harness.spec("is-valid-openai-function-call")
    #expect(
      Harness.buildError("is-valid-openai-function-call")?.message.contains("'functions' on the provider") == true)
    #expect(bare.withProviderSchemas(["functions": Self.functions]).value == Self.functions)
    let tools = Harness.spec("is-valid-openai-tools-call")
    #expect(tools.withProviderSchemas(["tools": ["x"]]).value == ["x"])
    // A value given is kept; other types are left alone.
    #expect(Harness.spec("is-json").withProviderSchemas(["tools": ["x"]]).value == nil)
  }
}
