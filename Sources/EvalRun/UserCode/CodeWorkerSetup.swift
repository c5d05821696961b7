import EvalCore
import EvalWorkers

/// The node/python3 workers a run's code needs (code assertions, transforms, code providers), made before any
/// call: a missing interpreter is a located error then, not a failure per case.
public enum CodeWorkerSetup {
  /// - Throws: ``Diagnostic`` at the first use of a language whose interpreter is not on `PATH`.
  public static func workers(
    for cases: [EvalCase], providers: [ProviderSpec] = [], timeout: Duration, environment: [String: String]
  ) throws -> CodeWorkers? {
    try workers(
      uses: CodeUse.firstUses(in: cases, providers: providers), timeout: timeout, environment: environment)
  }

  /// Workers for the code a prepared run needs: its code providers and `transformResponse`s first, then what
  /// the survey of its cases found (`nil` when none).
  /// - Throws: ``Diagnostic`` at the first use of a language whose interpreter is not on `PATH`.
  public static func workers(for prepared: RunPlanner.Prepared, environment: [String: String]) throws -> CodeWorkers? {
    var uses = CodeUse.Finder()
    uses.visit(prepared.suites.flatMap { $0.providers + $0.judges })
    uses.merge(prepared.survey.code)
    return try workers(uses: uses.uses, timeout: prepared.timeout, environment: environment)
  }

  /// Workers for `uses` (`nil` when there are none).
  /// - Throws: ``Diagnostic`` at the first use of a language whose interpreter is not on `PATH`.
  public static func workers(uses: [CodeUse], timeout: Duration, environment: [String: String]) throws -> CodeWorkers? {
    guard !uses.isEmpty else { return nil }
    let workers = CodeWorkers(timeout: timeout, parentEnvironment: environment)
    for use in uses where workers.interpreter(for: use.language) == nil {
      throw Diagnostic(
        "\(use.what) needs '\(use.language.interpreter)', which is not on PATH; install "
          + (use.language == .javascript ? "Node.js" : "Python 3") + " or remove the \(use.what)",
        at: use.location)
    }
    return workers
  }
}
