import EvalCore
import EvalProviders
import EvalWorkers
import Foundation

/// Vars computed by code and prompts made by functions or commands (`exec:`), resolved before any call.
public enum DeferredPrompts {
  /// `cases` with their deferred prompts resolved by the workers, a few at a time.
  /// - Throws: ``Diagnostic`` for the first case whose code failed.
  public static func resolve(
    _ cases: [EvalCase], code: CodeWorkers?, environment: [String: String]
  ) async throws -> [EvalCase] {
    let renderer = TemplateRenderer(environment: environment)
    // `exec:` prompts: the command line with the context JSON as its last argument, through the shell (as
    // promptfoo), from the config's folder; like the workers, with `PATH`, `HOME` and `LANG` only (no keys).
    var base: [String: String] = [:]
    for name in ["PATH", "HOME", "LANG"] { base[name] = environment[name] }
    let command: @Sendable (String, String, String) async -> Result<String, ProviderError> = {
      [base] line, context, dir in
      let quoted = "'" + context.replacingOccurrences(of: "'", with: "'\\''") + "'"
      let exec = ExecProvider(
        label: "exec", command: line + " " + quoted, workingDirectory: dir, baseEnvironment: base)
      do {
        return .success(try await exec.complete(CompletionRequest(messages: [])).text)
      } catch let e as ProviderError {
        return .failure(e)
      } catch {
        return .failure(ProviderError(.process, "\(error)"))
      }
    }
    var out = cases
    let pending = cases.indices.filter { cases[$0].deferred != nil }
    // Prompts of suites with `nunjucksFilters` render with them, through the run's workers.
    let blocking = code.map { LoadTimeCode(using: $0) }
    var renderers: [String: TemplateRenderer] = [:]
    for i in pending {
      guard let filters = cases[i].deferred?.filters, !filters.isEmpty, renderers[cases[i].suiteID] == nil else {
        continue
      }
      var r = renderer
      r.customFilters = blocking?.filters(filters)
      renderers[cases[i].suiteID] = r
    }
    try await withThrowingTaskGroup(of: (Int, [String: JSONValue], [ChatMessage]).self) { group in
      var next = pending.makeIterator()
      func add() {
        guard let i = next.next(), let deferred = cases[i].deferred else { return }
        let vars = cases[i].vars
        let renderer = renderers[cases[i].suiteID] ?? renderer
        group.addTask {
          let (v, m) = try await deferred.resolve(vars: vars, code: code, renderer: renderer, command: command)
          return (i, v, m)
        }
      }
      for _ in 0..<CodeWorkers.defaultSize { add() }
      while let (i, vars, messages) = try await group.next() {
        out[i].vars = vars
        out[i].messages = messages
        add()
      }
    }
    return out
  }
}
