import Foundation

/// The one decision a run (or a comparison) ends with: what sets the exit code, said in one line that
/// every human-facing output leads with. A pure function of the gate, the verdict, `--fail-on` and
/// whether the run was stopped early, so the console, the reports and the exit code can never disagree.
public struct RunDecision: Sendable, Hashable, Codable {
  /// What decided.
  public enum Status: String, Sendable, Hashable, Codable {
    /// The plain gate passed (no baseline to compare with).
    case passed
    /// The plain gate failed, or a retrieval threshold was not met.
    case failed
    /// The verdict against the baseline: ship it.
    case promote
    /// The verdict: a person should look.
    case hold
    /// The verdict: do not ship.
    case rollback
    /// Nothing could be judged: every call errored, an endpoint or grader was unreachable, a budget stopped
    /// the run, or no case pairs with the baseline.
    case couldNotEvaluate = "could_not_evaluate"
    /// Ctrl-C or SIGTERM stopped the run: the reports cover only the cases that finished.
    case interrupted
  }

  /// Which verdicts fail the build.
  public enum FailOn: String, Sendable, Hashable, Codable, CaseIterable {
    /// HOLD exits 3 and ROLLBACK 1 (the default).
    case hold
    /// Only ROLLBACK fails; HOLD exits 0.
    case rollback
  }

  /// What decided.
  public var status: Status
  /// The process exit code: 0 pass or PROMOTE (or an accepted HOLD), 1 gate failed or ROLLBACK, 3 HOLD,
  /// 4 could not evaluate, 130 interrupted.
  public var exitCode: Int32
  /// The decision's word: `GATE PASSED`, `GATE FAILED`, `PROMOTE`, `HOLD`, `ROLLBACK`, `INTERRUPTED`, or
  /// `could not evaluate` (lower case, as the reason reads on: "could not evaluate: every call timed out").
  public var word: String
  /// Why, in one line.
  public var reason: String

  /// `WORD: reason`, the first line of the console output and of every report meant for people.
  public var headline: String { "\(word): \(reason)" }

  /// True for an outcome a pipeline may take as good: the gate passed, PROMOTE, or a HOLD accepted with
  /// `--fail-on rollback`.
  public var isSuccess: Bool { exitCode == 0 }

  /// Creates a decision.
  public init(status: Status, exitCode: Int32, word: String, reason: String) {
    self.status = status
    self.exitCode = exitCode
    self.word = word
    self.reason = reason
  }

  /// Decides a run.
  /// - Parameters:
  ///   - gate: the plain gate's decision over the cases (and retrieval thresholds).
  ///   - comparison: the comparison with the baseline, when there was one; it decides over the gate.
  ///   - context: what was compared (`against baselines/`), appended to the reason in parentheses.
  ///   - failOn: which verdicts fail.
  ///   - interrupted: Ctrl-C or SIGTERM stopped the run.
  ///   - finished: cases that finished, of `total`, for an interrupted run's reason.
  ///   - retrievalFailures: retrieval thresholds not met; they fail a run the verdict would promote.
  public static func decide(
    gate: Gate.Decision, comparison: Comparison? = nil, context: String? = nil, failOn: FailOn = .hold,
    interrupted: Bool = false, finished: Int = 0, total: Int = 0, retrievalFailures: [String] = []
  ) -> RunDecision {
    if interrupted {
      return RunDecision(
        status: .interrupted, exitCode: 130, word: "INTERRUPTED",
        reason: "stopped after \(finished) of \(total) cases finished; these results are incomplete and are not a pass")
    }
    if gate.status == .couldNotEvaluate {
      return couldNotEvaluate(gate.reason)
    }
    guard let comparison else {
      return gate.status == .passed
        ? RunDecision(status: .passed, exitCode: 0, word: "GATE PASSED", reason: gate.reason)
        : RunDecision(status: .failed, exitCode: 1, word: "GATE FAILED", reason: gate.reason)
    }
    return decide(comparison, context: context, failOn: failOn, retrievalFailures: retrievalFailures)
  }

  /// Decides a comparison alone (`evalgate compare`, `evalgate canary`).
  public static func decide(
    _ c: Comparison, context: String? = nil, failOn: FailOn = .hold, retrievalFailures: [String] = []
  ) -> RunDecision {
    let against = context.map { " (\($0))" } ?? ""
    if c.paired == 0 {
      return couldNotEvaluate(
        "none of the \(c.new.count) cases pairs with the \(c.baselineCases) cases of the baseline\(against); was a "
          + "suite renamed, a prompt, provider label or test changed (case ids follow them), or --provider "
          + "swapped? If the change is intended, bless the new run with 'evalgate baseline accept'")
    }
    let first = c.verdict.reasons.first ?? ""
    switch c.verdict.decision {
    case .promote:
      if !retrievalFailures.isEmpty {
        return RunDecision(
          status: .failed, exitCode: 1, word: "GATE FAILED",
          reason: "retrieval: " + retrievalFailures.joined(separator: "; ")
            + " (the prompt suites' verdict is PROMOTE\(against))")
      }
      return RunDecision(status: .promote, exitCode: 0, word: "PROMOTE", reason: first + against)
    case .hold:
      let accepted = failOn == .rollback
      return RunDecision(
        status: .hold, exitCode: accepted ? 0 : 3, word: "HOLD",
        reason: first + against + (accepted ? " (accepted by --fail-on rollback: exit 0)" : ""))
    case .rollback:
      return RunDecision(status: .rollback, exitCode: 1, word: "ROLLBACK", reason: first + against)
    }
  }

  /// A could-not-evaluate decision; the reason without a leading "could not evaluate: ".
  static func couldNotEvaluate(_ reason: String) -> RunDecision {
    let prefix = "could not evaluate: "
    let why = reason.hasPrefix(prefix) ? String(reason.dropFirst(prefix.count)) : reason
    return RunDecision(status: .couldNotEvaluate, exitCode: 4, word: "could not evaluate", reason: why)
  }
}
