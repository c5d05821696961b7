import Foundation

/// A case's prompt that code must compute before it is sent, as promptfoo does at render time:
/// - vars whose value is code (`system_prompt: file://load_prompt.py`): Python's
///   `get_var(var_name, prompt, other_vars)` or a JavaScript export `(varName, prompt, otherVars)`,
///   returning `{output}` (or `{error}`), or the value itself;
/// - a prompt function (`file://prompt.js`, `file://prompt.py:fn`) called with `{vars, provider}`,
///   returning the prompt text, a chat message list, or `{prompt}`.
///
/// The run resolves these once its code workers exist, before any call (``resolve(vars:code:renderer:)``).
public struct DeferredPrompt: Sendable {
  /// The prompt's template, or its function.
  public var body: PromptTemplate.Body
  /// Vars computed by code, by name.
  public var codeVars: [String: TransformSpec]
  /// Where the prompt is defined.
  public var location: SourceLocation
  /// The provider as a prompt function sees it: `{id, label}`.
  public var provider: JSONValue
  /// `options.transformVars`: `(vars, context)` returning vars merged over the case's, after the vars from
  /// code and before rendering.
  public var transformVars: TransformSpec?
  /// The prompt's label (`context.prompt.label` of `transformVars`).
  public var promptLabel = ""
  /// The suite's `extensions`, called `beforeEach` with the test (see ``ExtensionHooks``).
  public var hooks: [TransformSpec] = []
  /// The test's description, as `beforeEach` sees it.
  public var testDescription: String?
  /// The suite's `nunjucksFilters`, which the prompt renders with.
  public var filters: [String: TransformSpec] = [:]

  /// Creates a deferred prompt.
  public init(
    body: PromptTemplate.Body, codeVars: [String: TransformSpec], location: SourceLocation, provider: JSONValue
  ) {
    self.body = body
    self.codeVars = codeVars
    self.location = location
    self.provider = provider
  }

  /// The raw prompt a var function is handed.
  var rawPrompt: String {
    switch body {
    case .text(let t): return t
    case .messages(let ms):
      return JSONValue.array(ms.map { .object(["role": .string($0.role), "content": .string($0.content)]) })
        .canonicalJSON
    case .function(let f): return f.source.text
    case .command(let c, _): return "exec:" + c
    }
  }

  /// The case's vars with the computed ones, and its messages.
  /// - Throws: ``Diagnostic`` at the var's or prompt's location when the code fails or returns something
  ///   that is not a value or a prompt.
  /// - Parameter command: runs an `exec:` prompt's program (its command line, the context JSON, its
  ///   directory) and returns its standard output.
  public func resolve(
    vars: [String: JSONValue], code: (any CodeRunner)?, renderer: TemplateRenderer,
    command: (@Sendable (String, String, String) async -> Result<String, ProviderError>)? = nil
  ) async throws -> ([String: JSONValue], [ChatMessage]) {
    var vars = vars
    for hook in hooks {
      guard let code else { throw Diagnostic("extension hooks need the code workers", at: hook.location) }
      let given: JSONValue = .object(["test": ExtensionHooks.test(vars: vars, description: testDescription)])
      switch await code.call(ExtensionHooks.call(hook, "beforeEach", given)) {
      case .failure(let e):
        throw Diagnostic("extension '\(hook.source.text)' (beforeEach): \(e.message)", at: hook.location)
      case .success(let value):
        if let changed = ExtensionHooks.returned(value, given: given).value(atPath: ["test", "vars"])?.objectValue {
          vars = changed
        }
      }
    }
    let others = vars.filter { codeVars[$0.key] == nil }
    for (name, function) in codeVars.sorted(by: { $0.key < $1.key }) {
      guard let code else { throw Diagnostic("var '\(name)' needs the code workers", at: function.location) }
      let call = CodeCall(
        language: function.language, source: function.source, defaultFunction: "get_var",
        arguments: [.string(name), .string(rawPrompt), .object(others)])
      switch await code.call(call) {
      case .failure(let e):
        throw Diagnostic("var '\(name)' from '\(function.source.text)': \(e.message)", at: function.location)
      case .success(let value):
        if case .object(let o)? = value, let error = o["error"], error != .null {
          throw Diagnostic("var '\(name)' from '\(function.source.text)': \(error.plainText)", at: function.location)
        }
        if case .object(let o)? = value, let output = o["output"] {
          vars[name] = output
        } else {
          vars[name] = value ?? .null
        }
      }
    }
    if let t = transformVars {
      guard let code else { throw Diagnostic("'transformVars' needs the code workers", at: t.location) }
      let context: JSONValue = .object(["prompt": .object(["raw": .string(rawPrompt), "label": .string(promptLabel)])])
      let call = CodeCall(
        language: t.language, source: t.source, defaultFunction: "get_transform",
        arguments: [.object(vars), context], parameters: ["vars", "context"])
      switch await code.call(call) {
      case .failure(let e): throw Diagnostic("'transformVars': \(e.message)", at: t.location)
      case .success(.object(let changed)?): vars.merge(changed) { _, new in new }
      case .success(let other):
        throw Diagnostic(
          "'transformVars' must return an object of vars; it returned \(other?.typeName ?? "nothing")", at: t.location)
      }
    }
    switch body {
    case .text(let t):
      let text = try renderer.compile(t, at: location).render(vars, at: location)
      return (vars, Expansion.chatArray(text) ?? [ChatMessage(role: "user", content: text)])
    case .messages(let ms):
      return (
        vars,
        try ms.map {
          ChatMessage(role: $0.role, content: try renderer.compile($0.content, at: location).render(vars, at: location))
        }
      )
    case .command(let line, let directory):
      guard let command else { throw Diagnostic("'exec:\(line)' cannot run here", at: location) }
      let context = JSONValue.object(["vars": .object(vars), "provider": provider]).canonicalJSON
      switch await command(line, context, directory) {
      case .failure(let e): throw Diagnostic("prompt 'exec:\(line)': \(e.message)", at: location)
      case .success(let text): return (vars, Expansion.chatArray(text) ?? [ChatMessage(role: "user", content: text)])
      }
    case .function(let f):
      guard let code else {
        throw Diagnostic("prompt function '\(f.source.text)' needs the code workers", at: f.location)
      }
      let call = CodeCall(
        language: f.language, source: f.source, arguments: [.object(["vars": .object(vars), "provider": provider])])
      switch await code.call(call) {
      case .failure(let e):
        throw Diagnostic("prompt function '\(f.source.text)': \(e.message)", at: f.location)
      case .success(let value):
        // The echo provider answers with the prompt whatever its config: a returned `config` changes nothing.
        let echo = provider.value(atPath: ["id"])?.stringValue == ProviderKind.echo.rawValue
        return (vars, try DeferredPrompt.messages(from: value, function: f, configIgnored: echo))
      }
    }
  }

  /// A prompt function's return value as messages. A returned `config` (promptfoo merges it over the
  /// provider's for that call) is an error, unless `configIgnored` (the echo provider, which no config changes).
  static func messages(
    from value: JSONValue?, function f: TransformSpec, configIgnored: Bool = false
  ) throws -> [ChatMessage] {
    switch value {
    case .string(let text)?:
      return Expansion.chatArray(text) ?? [ChatMessage(role: "user", content: text)]
    case .array(let items)?:
      return try items.map { item in
        guard let o = item.objectValue, let role = o["role"]?.stringValue, let content = o["content"] else {
          throw Diagnostic(
            "prompt function '\(f.source.text)' returned a list that is not chat messages {role, content}",
            at: f.location)
        }
        return ChatMessage(role: role, content: content.stringValue ?? content.canonicalJSON)
      }
    case .object(let o)?:
      if !configIgnored, let config = o["config"], config != .null, config.objectValue?.isEmpty == false {
        throw Diagnostic(
          "prompt function '\(f.source.text)' returned a 'config', which evalgate does not apply per prompt; set it "
            + "on the provider", at: f.location)
      }
      guard let prompt = o["prompt"] else {
        throw Diagnostic("prompt function '\(f.source.text)' returned an object without 'prompt'", at: f.location)
      }
      return try messages(from: prompt, function: f, configIgnored: configIgnored)
    default:
      throw Diagnostic(
        "prompt function '\(f.source.text)' must return text or chat messages; it returned "
          + (value?.typeName ?? "nothing"), at: f.location)
    }
  }
}
