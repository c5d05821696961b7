import EvalCore

/// How reports show a run's decision: one icon and one CSS class per outcome, shared by the Markdown and
/// HTML reports so they agree.
public enum DecisionText {
  /// ✅ pass or PROMOTE (or an accepted HOLD), ❌ failed or ROLLBACK, ⚠️ HOLD or could not evaluate, ⏹️
  /// interrupted.
  public static func icon(_ d: RunDecision) -> String {
    switch d.status {
    case .interrupted: "⏹️"
    case .passed, .promote: "✅"
    case .failed, .rollback: "❌"
    case .hold, .couldNotEvaluate: "⚠️"
    }
  }

  /// Whether a report shows the plain gate's reading beside the decision: when a baseline comparison made
  /// the decision (otherwise the decision is the gate's own, or the run could not be judged).
  public static func showsGateBesideVerdict(_ report: RunReport) -> Bool {
    guard report.verdict != nil else { return false }
    let status = report.effectiveDecision.status
    return status != .interrupted && status != .couldNotEvaluate
  }

  /// `ok`, `bad` or `warn`.
  public static func cssClass(_ d: RunDecision) -> String {
    switch d.status {
    case .passed, .promote: "ok"
    case .failed, .rollback: "bad"
    case .hold, .couldNotEvaluate, .interrupted: "warn"
    }
  }
}
