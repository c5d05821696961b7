import EvalCore
import Foundation

/// A provider written in code, as promptfoo's `file://provider.py[:function]` and `file://provider.js`:
/// each call goes to the run's long-lived `python3`/`node` workers, never a process per case.
///
/// - Python: `call_api(prompt, options, context)` (or the named function, sync or async), where `options`
///   is `{id, label, config}` and `context` is `{vars, prompt: {raw, label}}`.
/// - JavaScript: the module's class (default export, `module.exports`, or the named export), built once
///   per worker with `{id, label, config}`, and its `callApi(prompt, context, options)`; an object with
///   `callApi` or a plain function works too.
///
/// Either returns promptfoo's `{output, error?, tokenUsage?: {total, prompt, completion}}`; an `error` is
/// a failed call, an `output` that is not text is kept as JSON text. Its calls run in the workers that have
/// the run's whole environment (``CodeCall/withCredentials``), as promptfoo passes its environment to them.
public struct CodeProvider: Provider {
  public let label: String
  let language: CodeLanguage
  let source: CodeSource
  let options: JSONValue
  let code: any CodeRunner

  /// A provider for `spec`, whose id is `file://<absolute path>[:function]`.
  public init(spec: ProviderSpec, code: any CodeRunner) {
    label = spec.label
    source = CodeSource.parse(spec.id)
    if case .file(let path, _) = source {
      language = CodeLanguage.of(file: path)
    } else {
      language = .javascript
    }
    options = .object(["id": .string(spec.label), "label": .string(spec.label), "config": .object(spec.config)])
    self.code = code
  }

  /// The prompt as promptfoo hands it to a provider: one user message's text, else the chat as JSON.
  static func promptText(_ messages: [ChatMessage]) -> String {
    if messages.count == 1, messages[0].role == "user" { return messages[0].content }
    return JSONValue.array(
      messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) }
    ).canonicalJSON
  }

  func call(prompt: String, vars: [String: JSONValue]) -> CodeCall {
    let context: JSONValue = .object([
      "vars": .object(vars), "prompt": .object(["raw": .string(prompt), "label": .string(label)]),
    ])
    var call: CodeCall
    switch language {
    case .python:
      call = CodeCall(
        language: .python, source: source, defaultFunction: "call_api",
        arguments: [.string(prompt), options, context])
    case .javascript:
      call = CodeCall(language: .javascript, source: source, arguments: [.string(prompt), context, options])
      call.method = "callApi"
      call.construct = options
    }
    // A provider calls its endpoint with the user's keys, as promptfoo's do: its own workers, started with the
    // run's environment.
    call.withCredentials = true
    return call
  }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    let result = await code.call(call(prompt: CodeProvider.promptText(request.messages), vars: request.vars))
    switch result {
    case .failure(let error): throw error
    case .success(let value): return try CodeProvider.completion(from: value)
    }
  }

  /// Loads the module and finds the function or class without calling it, so an import that fails (a
  /// missing package) is one error before the run rather than one per case.
  public func check() async -> ProviderError? {
    var probe = call(prompt: "", vars: [:])
    probe.loadOnly = true
    if case .failure(let error) = await code.call(probe) { return error }
    return nil
  }

  /// promptfoo's provider response read as a completion.
  /// - Throws: ``ProviderError`` for a returned `error`, or a value without `output`.
  public static func completion(from value: JSONValue?) throws -> Completion {
    switch value {
    case .string(let text)?:
      return Completion(text: text)
    case .object(let o)?:
      if let error = o["error"], error != .null, !(error.stringValue?.isEmpty ?? false) {
        throw ProviderError(.process, "the provider returned an error: \(error.plainText)")
      }
      guard let output = o["output"], output != .null else {
        throw ProviderError(
          .malformedResponse,
          "the provider returned no 'output': \(String(JSONValue.object(o).canonicalJSON.prefix(120)))")
      }
      let text = output.stringValue ?? output.canonicalJSON
      let tokens = o["tokenUsage"]?.objectValue
      let count = { (name: String) in tokens?[name]?.numberValue.map { Int($0) } }
      let usage = Usage(
        promptTokens: count("prompt"), completionTokens: count("completion"), totalTokens: count("total"))
      let known = usage.promptTokens != nil || usage.completionTokens != nil || usage.totalTokens != nil
      var completion = Completion(text: text, usage: known ? usage : nil)
      if o["cached"] == .bool(true) { completion.cached = true }
      return completion
    default:
      throw ProviderError(
        .malformedResponse, "the provider must return {output, …}; it returned \(value?.typeName ?? "nothing")")
    }
  }
}
