import Foundation

/// Slow-drift detection over the last runs of a suite, on cases paired by id: for the pass rate, exact
/// McNemar between the window's oldest and newest run and a paired trend test along the window; for the
/// mean score and each named metric, the paired trend test. Only decline counts as drift (one-sided tests);
/// Holm's step-down across all the tests keeps the chance of a false alarm per suite at `alpha`.
public struct DriftDetector: Sendable, Hashable {
  /// The family-wise false-alarm rate per suite.
  public var alpha: Double
  /// Only this metric (`pass_rate`, `score` or a named metric), when set.
  public var metric: String?

  /// Creates a detector.
  public init(alpha: Double = 0.01, metric: String? = nil) {
    self.alpha = alpha
    self.metric = metric
  }

  /// Tests the runs of `suite` in `window` (oldest first); a ``DriftAccumulator`` fed the whole window.
  public func analyze(suite: String, window: [RunRecord]) -> DriftReport {
    var accumulator = DriftAccumulator(detector: self, suite: suite, count: window.count)
    for run in window { accumulator.add(run) }
    return accumulator.report()
  }
}
