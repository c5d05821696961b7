import Foundation

/// promptfoo's `extensions`: functions called as `hook(hookName, context)` at four points of a run, with
/// promptfoo's context shapes:
/// - `beforeAll` `{suite}` (description, prompts, providers, tests, defaultTest), at load time; the
///   returned context's `suite.tests` and `suite.defaultTest` are the ones run;
/// - `beforeEach` `{test}` (vars, description, assert) for each case before its prompt is rendered; the
///   returned `test.vars` are the case's vars;
/// - `afterEach` `{test, result}` (`success`, `score`, `response: {output, tokenUsage}`, `error`) for each
///   case, once the run has finished (promptfoo calls it as each case ends);
/// - `afterAll` `{results, suite}`, once.
public enum ExtensionHooks {
  /// The call of `hook` for `name` with `context`.
  public static func call(_ hook: TransformSpec, _ name: String, _ context: JSONValue) -> CodeCall {
    CodeCall(
      language: hook.language, source: hook.source, defaultFunction: "extension_hook",
      arguments: [.string(name), context])
  }

  /// What a `before*` hook handed back: its returned context, or the one it was given (promptfoo keeps a
  /// context the hook changed in place only when returned; a hook returning nothing changes nothing).
  public static func returned(_ value: JSONValue?, given: JSONValue) -> JSONValue {
    if let value, case .object = value { return value }
    return given
  }

  /// The test a `beforeEach` hook sees.
  public static func test(vars: [String: JSONValue], description: String?) -> JSONValue {
    var o: [String: JSONValue] = ["vars": .object(vars), "assert": .array([]), "options": .object([:])]
    if let description { o["description"] = .string(description) }
    return .object(o)
  }

  /// The result an `afterEach` hook sees, and `afterAll` in its `results`.
  public static func result(_ r: CaseResult) -> JSONValue {
    let last = r.attempts.last
    var response: [String: JSONValue] = [:]
    if let output = last?.output { response["output"] = .string(output) }
    if let u = last?.usage {
      var t: [String: JSONValue] = [:]
      if let n = u.totalTokens { t["total"] = .number(Double(n)) }
      if let n = u.promptTokens { t["prompt"] = .number(Double(n)) }
      if let n = u.completionTokens { t["completion"] = .number(Double(n)) }
      response["tokenUsage"] = .object(t)
    }
    var o: [String: JSONValue] = [
      "success": .bool(r.outcome == .passed), "score": .number(r.score ?? 0), "response": .object(response),
      "vars": .object(r.vars), "prompt": .object(["label": .string(r.prompt)]),
      "provider": .object(["id": .string(r.provider), "label": .string(r.provider)]),
      "metadata": .object(r.metadata),
    ]
    if let e = last?.error { o["error"] = .string(e.message) }
    return .object(o)
  }
}
