import Foundation

/// The plain CI gate: by default every case must pass; `minPassRate` relaxes that.
public struct Gate: Sendable, Hashable, Codable {
  /// Minimum fraction of judged cases (passed + failed + errored) that must pass, 0…1.
  public var minPassRate: Double

  /// Creates a gate.
  public init(minPassRate: Double = 1) {
    self.minPassRate = minPassRate
  }

  /// The gate's decision on a run.
  public struct Decision: Sendable, Hashable, Codable {
    /// What happened.
    public enum Status: String, Sendable, Hashable, Codable {
      /// The pass rate reached the minimum.
      case passed
      /// It did not.
      case failed
      /// Nothing could be judged: every call errored, or nothing ran.
      case couldNotEvaluate = "could_not_evaluate"
    }

    /// The status.
    public var status: Status
    /// passed / (passed + failed + errored); errors count against the gate, as in promptfoo.
    public var passRate: Double
    /// The minimum that applied.
    public var minPassRate: Double
    /// One line for people.
    public var reason: String
  }

  /// Decides on a summary.
  /// - Parameters:
  ///   - unreachable: the message of an open circuit breaker, if one stopped the run; it becomes the reason
  ///     when nothing could be evaluated.
  ///   - budgetStop: why a budget stopped the run early; such a run could not be evaluated in full.
  ///   - firstError: the first error of the run, said when every case errored.
  public func decide(
    _ summary: RunSummary, unreachable: String? = nil, budgetStop: String? = nil, firstError: ProviderError? = nil
  ) -> Decision {
    let judged = summary.passed + summary.failed + summary.errored
    let rate = judged == 0 ? 0 : Double(summary.passed) / Double(judged)
    let pct = { (x: Double) in JSONValue.format((x * 1000).rounded() / 10) + "%" }
    if let budgetStop {
      let rate = judged == 0 ? 0 : Double(summary.passed) / Double(judged)
      return Decision(
        status: .couldNotEvaluate, passRate: rate, minPassRate: minPassRate,
        reason: "could not evaluate: \(budgetStop); \(summary.skipped) cases skipped")
    }
    if summary.passed + summary.failed == 0 {
      let why =
        unreachable.map { "could not evaluate: \($0)" }
        ?? (summary.errored > 0
          ? "could not evaluate: all \(summary.errored) cases errored"
            + (firstError.map { " (the first: \($0.typeName): \($0.message))" } ?? "")
          : "could not evaluate: no case ran")
      return Decision(status: .couldNotEvaluate, passRate: rate, minPassRate: minPassRate, reason: why)
    }
    if rate + 1e-12 >= minPassRate {
      return Decision(
        status: .passed, passRate: rate, minPassRate: minPassRate,
        reason: "pass rate \(pct(rate)) ≥ required \(pct(minPassRate))")
    }
    return Decision(
      status: .failed, passRate: rate, minPassRate: minPassRate,
      reason:
        "pass rate \(pct(rate)) < required \(pct(minPassRate)) (\(summary.failed) failed, \(summary.errored) errored)")
  }
}
