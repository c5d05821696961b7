import Foundation

/// `is-valid-openai-tools-call`: the output is a valid call of the tools in `value` (OpenAI's format:
/// `[{type: function, function: {name, parameters}}]`). The output is JSON (one code fence allowed): a list
/// of calls, an object with `tool_calls`, or one call; each call names a listed function (`function.name`,
/// or `name`) and its `arguments` (a JSON string, as the API sends it, or an object) satisfy that
/// function's `parameters` schema. Without a `value`, the tools are the provider's `config.tools` (see
/// ``AssertionSpec/withProviderSchemas(_:)``), as promptfoo's.
public struct IsValidOpenAIToolsCall: Assertion {
  let tools: [String: JSONSchemaValidator]

  /// Builds from a spec whose `value` lists the tools; a tool without a name or with a bad schema is a
  /// load-time error.
  public init(_ spec: AssertionSpec) throws {
    guard case .array(let list)? = spec.value, !list.isEmpty else {
      throw Diagnostic(
        "'\(spec.displayType)' needs the tools: give them as 'value' (OpenAI's tools format), or set 'tools' on the "
          + "provider")
    }
    var tools: [String: JSONSchemaValidator] = [:]
    for tool in list {
      let function = tool.objectValue?["function"] ?? tool
      guard let name = function.objectValue?["name"]?.stringValue else {
        throw Diagnostic("'\(spec.displayType)': every tool needs a function 'name'")
      }
      tools[name] = try JSONSchemaValidator(schema: function.objectValue?["parameters"] ?? ["type": "object"])
    }
    self.tools = tools
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let value = JSONExtraction.whole(input.output) else {
      return AssertionOutcome(pass: false, reason: "output is not JSON: \(excerpt(input.output, limit: 40))")
    }
    let calls: [JSONValue]
    switch value {
    case .array(let items): calls = items
    case .object(let o): calls = o["tool_calls"]?.arrayValue ?? [value]
    default: return AssertionOutcome(pass: false, reason: "output is not a tool call")
    }
    guard !calls.isEmpty else { return AssertionOutcome(pass: false, reason: "no tool call in the output") }
    for call in calls {
      let function = call.objectValue?["function"] ?? call
      guard let name = function.objectValue?["name"]?.stringValue else {
        return AssertionOutcome(pass: false, reason: "a tool call has no function name")
      }
      if let failed = FunctionArguments.check(name: name, arguments: function.objectValue?["arguments"], against: tools)
      {
        return failed
      }
    }
    return AssertionOutcome(pass: true, reason: "\(calls.count) valid call\(calls.count == 1 ? "" : "s") of the tools")
  }
}
