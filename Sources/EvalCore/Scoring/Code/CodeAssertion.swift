import Foundation

/// What `javascript` and `python` assertions share: the code from the spec's value, called through the
/// run's ``CodeRunner`` with promptfoo's arguments `(output, context)`, where `context` holds `vars`,
/// `prompt`, `test` and (for the assertion's `config:`) `config`. An answer of data (tool calls, a function
/// call) is given as that data, as promptfoo does; other outputs as text.
struct CodeAssertion: Sendable {
  let language: CodeLanguage
  let source: CodeSource
  let threshold: Double?
  let config: JSONValue?
  let type: String

  init(_ spec: AssertionSpec, language: CodeLanguage) throws {
    guard case .string(let text)? = spec.value, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw Diagnostic(
        "'\(spec.displayType)' needs a 'value': an expression, a function body with 'return', or "
          + "'file://path\(language == .python ? ".py" : ".js"):function'")
    }
    self.language = language
    source = CodeSource.parse(text)
    threshold = spec.threshold
    config = spec.config
    type = spec.displayType
  }

  func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let runner = input.code else {
      return .errored("no \(language.interpreter) worker runs '\(type)' here", kind: .configuration)
    }
    var context: [String: JSONValue] = [
      "vars": .object(input.vars), "prompt": input.prompt.map(JSONValue.string) ?? .null,
      "test": input.test ?? .object(["vars": .object(input.vars)]),
    ]
    if let config { context["config"] = config }
    let call = CodeCall(
      language: language, source: source, defaultFunction: "get_assert",
      arguments: [
        input.structuredOutput ?? TransformSpec.codeOutput(input.output, finishReason: input.finishReason),
        .object(context),
      ])
    switch await runner.call(call) {
    case .failure(let error): return .errored("'\(type)': \(error.message)", kind: error.kind)
    case .success(let value): return CodeReturn.outcome(value, threshold: threshold, type: type)
    }
  }
}
