import Foundation

/// `options.transform` (or a test's `transform`): code that rewrites the model's output before the
/// assertions see it, as promptfoo's `(output, context)` function. Inline code is JavaScript (an
/// expression, or a body with `return`); a file is JavaScript or Python by its extension, `get_transform`
/// being the Python function when the reference names none.
public struct TransformSpec: Sendable, Hashable {
  /// The language that runs it.
  public var language: CodeLanguage
  /// The code.
  public var source: CodeSource
  /// Where it is written.
  public var location: SourceLocation

  /// Creates a transform.
  public init(language: CodeLanguage, source: CodeSource, location: SourceLocation) {
    self.language = language
    self.source = source
    self.location = location
  }

  /// The call that transforms `output` for a case with `vars` and `prompt`.
  public func call(
    output: String, vars: [String: JSONValue], prompt: String?, finishReason: String? = nil
  ) -> CodeCall {
    let context: [String: JSONValue] = ["vars": .object(vars), "prompt": prompt.map(JSONValue.string) ?? .null]
    return CodeCall(
      language: language, source: source, defaultFunction: "get_transform",
      arguments: [TransformSpec.codeOutput(output, finishReason: finishReason), .object(context)])
  }

  /// The output as code sees it, as promptfoo hands it: a tool-calling answer (`finish_reason` `tool_calls`
  /// or `function_call`) as its calls, parsed (`output[0].function.name`); any other answer as its text.
  public static func codeOutput(_ output: String, finishReason: String?) -> JSONValue {
    if finishReason == "tool_calls" || finishReason == "function_call", let parsed = JSONValue.parse(output),
      parsed.arrayValue != nil || parsed.objectValue != nil
    {
      return parsed
    }
    return .string(output)
  }

  /// The transformed output: a string as it is, anything else as JSON text (promptfoo keeps the object;
  /// evalgate's outputs are text). `nil` (nothing returned) is an error.
  public static func output(from value: JSONValue?) -> Result<String, ProviderError> {
    switch value {
    case nil, .null?: return .failure(ProviderError(.malformedResponse, "transform returned nothing"))
    case .string(let s)?: return .success(s)
    case let other?: return .success(other.canonicalJSON)
    }
  }
}
