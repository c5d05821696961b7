import Foundation

/// `is-valid-openai-function-call`: the output is a call of one of the functions in `value` (OpenAI's
/// legacy `functions` format: `[{name, parameters}]`), as promptfoo's. The output is JSON (one code fence
/// allowed): `{name, arguments}`, or an object holding it under `function_call`; `arguments` (a JSON
/// string, as the API sends it, or an object) must satisfy that function's `parameters` schema. Without a
/// `value`, the functions are the provider's `config.functions` (see ``AssertionSpec/withProviderSchemas(_:)``).
public struct IsValidOpenAIFunctionCall: Assertion {
  let functions: [String: JSONSchemaValidator]

  /// Builds from a spec whose `value` lists the functions.
  public init(_ spec: AssertionSpec) throws {
    guard case .array(let list)? = spec.value, !list.isEmpty else {
      throw Diagnostic(
        "'\(spec.displayType)' needs the functions: give them as 'value', or set 'functions' on the provider")
    }
    var functions: [String: JSONSchemaValidator] = [:]
    for item in list {
      let function = item.objectValue?["function"] ?? item
      guard let name = function.objectValue?["name"]?.stringValue else {
        throw Diagnostic("'\(spec.displayType)': every function needs a 'name'")
      }
      functions[name] = try JSONSchemaValidator(schema: function.objectValue?["parameters"] ?? ["type": "object"])
    }
    self.functions = functions
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let value = JSONExtraction.whole(input.output) else {
      return AssertionOutcome(pass: false, reason: "output is not a function call: \(excerpt(input.output, limit: 40))")
    }
    let call = value.objectValue?["function_call"] ?? value
    guard let name = call.objectValue?["name"]?.stringValue else {
      return AssertionOutcome(pass: false, reason: "the function call has no 'name'")
    }
    return FunctionArguments.check(name: name, arguments: call.objectValue?["arguments"], against: functions)
      ?? AssertionOutcome(pass: true, reason: "a valid call of '\(name)'")
  }
}

/// Checks a call's arguments against the schemas of the functions it may call.
enum FunctionArguments {
  /// A failing outcome when `name` is not one of `functions` or `arguments` do not fit its schema; `nil`
  /// when the call is valid.
  static func check(
    name: String, arguments: JSONValue?, against functions: [String: JSONSchemaValidator]
  ) -> AssertionOutcome? {
    guard let validator = functions[name] else {
      return AssertionOutcome(
        pass: false,
        reason: "'\(name)' is not one of the functions (\(functions.keys.sorted().joined(separator: ", ")))")
    }
    var arguments = arguments ?? .object([:])
    if case .string(let text) = arguments {
      guard let parsed = JSONValue.parse(text) else {
        return AssertionOutcome(pass: false, reason: "arguments of '\(name)' are not JSON: \(excerpt(text, limit: 40))")
      }
      arguments = parsed
    }
    if let first = validator.validate(arguments).first {
      return AssertionOutcome(pass: false, reason: "arguments of '\(name)' do not fit its schema: \(first)")
    }
    return nil
  }
}
