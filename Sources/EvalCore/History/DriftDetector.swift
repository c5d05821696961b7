import Foundation

/// Slow-drift detection over the last runs of a suite, on cases paired by id: for the pass rate, exact
/// McNemar between the window's oldest and newest run and a paired trend test along the window; for the
/// mean score and each named metric, the paired trend test. Only decline counts as drift (one-sided tests);
/// Holm's step-down across all the tests keeps the chance of a false alarm per suite at `alpha`.
public struct DriftDetector: Sendable {
  /// The family-wise false-alarm rate per suite.
  public var alpha: Double
  /// Only this metric (`pass_rate`, `score` or a named metric), when set.
  public var metric: String?

  /// Creates a detector.
  public init(alpha: Double = 0.01, metric: String? = nil) {
    self.alpha = alpha
    self.metric = metric
  }

  /// Tests the runs of `suite` in `window` (oldest first).
  public func analyze(suite: String, window: [RunRecord]) -> DriftReport {
    let runs = window.map { $0.cases(of: suite) }
    var report = DriftReport(
      suite: suite, runs: window.map(\.id), alpha: alpha, paired: 0,
      passRate: window.map { $0.passRate(of: suite) }, meanScore: window.map { $0.meanScore(of: suite) },
      latencyP50Ms: runs.map { Self.median($0.compactMap(\.latencyMs)) }, tests: [])
    guard window.count >= 2 else { return report }

    var tests: [DriftReport.Test] = []
    if metric == nil || metric == "pass_rate" {
      let series = Self.paired(runs) { $0.passed.map { $0 ? 1.0 : 0.0 } }
      report.paired = series.count
      var regressions = 0
      var fixes = 0
      for row in series where row.first != row.last {
        if row.first == 1 { regressions += 1 } else { fixes += 1 }
      }
      let mcnemar = McNemar(regressions: regressions, fixes: fixes)
      let change = series.isEmpty ? 0 : Double(fixes - regressions) / Double(series.count)
      tests.append(
        .init(
          metric: "pass_rate", test: .mcnemar, change: change, p: mcnemar.pWorse,
          detail: "\(regressions) pass→fail, \(fixes) fail→pass of \(series.count) paired cases"))
      if window.count >= 3 {
        let trend = PairedTrend(series)
        tests.append(
          .init(
            metric: "pass_rate", test: .trend, change: trend.slope, p: trend.pDecreasing,
            detail: "\(trend.moving) of \(series.count) paired cases moved within the window"))
      }
    }
    if window.count >= 3 {
      var names: [String] = metric == nil || metric == "score" ? ["score"] : []
      let named = Set(runs.last?.flatMap { $0.scores.map { Array($0.keys) } ?? [] } ?? []).sorted()
      names += named.filter { metric == nil || metric == $0 }
      for name in names {
        let series = Self.paired(runs) { name == "score" ? $0.score : $0.scores?[name] }
        guard !series.isEmpty else { continue }
        let trend = PairedTrend(series)
        tests.append(
          .init(
            metric: name, test: .trend, change: trend.slope, p: trend.pDecreasing,
            detail: "\(trend.moving) of \(series.count) paired cases moved within the window"))
      }
    }
    let adjusted = Multiplicity.holm(tests.map(\.p))
    for i in tests.indices {
      tests[i].adjustedP = adjusted[i]
      tests[i].drifting = adjusted[i] < alpha
    }
    report.tests = tests
    return report
  }

  /// The values of the cases present (with a value) in every run, by id, oldest run first.
  static func paired(_ runs: [[RunRecord.CaseOutcome]], _ value: (RunRecord.CaseOutcome) -> Double?) -> [[Double]] {
    guard let first = runs.first else { return [] }
    let maps = runs.map { cases in
      var byID: [String: Double] = [:]
      for c in cases { if let v = value(c) { byID[c.id] = v } }
      return byID
    }
    var seen: Set<String> = []
    return first.compactMap { c -> [Double]? in
      guard seen.insert(c.id).inserted else { return nil }
      let row = maps.compactMap { $0[c.id] }
      return row.count == runs.count ? row : nil
    }
  }

  static func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }
}
