import EvalCore

/// evalgate's exit codes; CI scripts depend on them, so they never change meaning.
public enum ExitStatus: Int32, Sendable, CaseIterable {
  /// The gate passed (or the verdict is PROMOTE, or a HOLD accepted with `--fail-on rollback`).
  case passed = 0
  /// The gate failed (or the verdict is ROLLBACK).
  case gateFailed = 1
  /// Bad flags, config or suite.
  case usage = 2
  /// The verdict is HOLD: a person should look.
  case hold = 3
  /// Nothing could be judged (every call errored, or no case in common with the baseline).
  case couldNotEvaluate = 4
  /// Stopped by Ctrl-C.
  case interrupted = 130

  /// ROLLBACK shares the failed gate's code: CI that fails on 1 keeps failing on a regression.
  public static let rollback = ExitStatus.gateFailed

  /// The one mapping from what decided a run (or a comparison) to the exit status: pass and PROMOTE exit 0,
  /// a failed gate and ROLLBACK 1, HOLD 3 unless `--fail-on rollback` accepts it (0), could not evaluate 4,
  /// interrupted 130.
  public init(_ status: RunDecision.Status, failOn: RunDecision.FailOn) {
    switch status {
    case .passed, .promote: self = .passed
    case .failed, .rollback: self = .gateFailed
    case .hold: self = failOn == .rollback ? .passed : .hold
    case .couldNotEvaluate: self = .couldNotEvaluate
    case .interrupted: self = .interrupted
    }
  }

  /// How a run ends, from the gate's decision, the comparison with the baseline (which decides over the
  /// gate), `--fail-on` and whether it was interrupted (which decides over both): the decision every
  /// report leads with, and the exit status.
  /// - Parameters:
  ///   - gate: the plain gate's decision over the cases (and retrieval thresholds).
  ///   - comparison: the comparison with the baseline, when there was one.
  ///   - context: what was compared (`against baselines/`), said in the reason.
  ///   - failOn: which verdicts fail.
  ///   - interrupted: Ctrl-C or SIGTERM stopped the run.
  ///   - finished: cases that finished, of `total`, for an interrupted run's reason.
  ///   - retrievalFailures: retrieval thresholds not met; they fail a run the verdict would promote.
  public static func conclude(
    gate: Gate.Decision, comparison: Comparison? = nil, context: String? = nil, failOn: RunDecision.FailOn = .hold,
    interrupted: Bool = false, finished: Int = 0, total: Int = 0, retrievalFailures: [String] = []
  ) -> (decision: RunDecision, status: ExitStatus) {
    let decision = RunDecision.decide(
      gate: gate, comparison: comparison, context: context, failOn: failOn, interrupted: interrupted,
      finished: finished, total: total, retrievalFailures: retrievalFailures)
    return (decision, ExitStatus(decision.status, failOn: failOn))
  }

  /// How a comparison alone ends (`compare`, `canary`): its decision and the exit status.
  public static func conclude(
    _ comparison: Comparison, context: String? = nil, failOn: RunDecision.FailOn = .hold
  ) -> (decision: RunDecision, status: ExitStatus) {
    let decision = RunDecision.decide(comparison, context: context, failOn: failOn)
    return (decision, ExitStatus(decision.status, failOn: failOn))
  }

  /// The verdict's word for the history (`PROMOTE`, `HOLD`, `ROLLBACK`); `nil` when no verdict decided.
  public static func verdictWord(_ status: RunDecision.Status) -> String? {
    switch status {
    case .promote: "PROMOTE"
    case .hold: "HOLD"
    case .rollback: "ROLLBACK"
    case .passed, .failed, .couldNotEvaluate, .interrupted: nil
    }
  }
}
