import EvalCore
import EvalWorkers

/// promptfoo's `extensions`: hooks a suite's code runs after the cases.
public enum AfterHooks {
  /// Runs promptfoo's `afterEach` (each case, in order) and `afterAll` hooks of every suite that has
  /// `extensions`; returns a warning for each hook that failed (the results stand).
  public static func run(_ suites: [Suite], results: some Collection<CaseResult>, code: CodeWorkers) async -> [String] {
    var warnings: [String] = []
    for suite in suites where !suite.extensions.isEmpty {
      let mine = results.filter { $0.suite == suite.id }.sorted {
        ($0.line ?? 0, $0.id.rawValue) < ($1.line ?? 0, $1.id.rawValue)
      }
      let summary: JSONValue = .object(["description": suite.description.map(JSONValue.string) ?? .null])
      for hook in suite.extensions {
        for r in mine {
          let test = ExtensionHooks.test(vars: r.vars, description: r.title)
          let context: JSONValue = .object(["test": test, "result": ExtensionHooks.result(r)])
          if case .failure(let e) = await code.call(ExtensionHooks.call(hook, "afterEach", context)) {
            warnings.append("\(hook.location): warning: extension '\(hook.source.text)' (afterEach): \(e.message)")
            break
          }
        }
        let all: JSONValue = .object(["results": .array(mine.map(ExtensionHooks.result)), "suite": summary])
        if case .failure(let e) = await code.call(ExtensionHooks.call(hook, "afterAll", all)) {
          warnings.append("\(hook.location): warning: extension '\(hook.source.text)' (afterAll): \(e.message)")
        }
      }
    }
    return warnings
  }
}
