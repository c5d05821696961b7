import EvalCore
import Foundation

/// Text for `history trend` and the drift warning: percentages, p-values, sparklines.
enum TrendText {
  static func percent(_ x: Double) -> String { String(format: "%.1f %%", 100 * x) }

  static func p(_ p: Double) -> String { p < 0.001 ? String(format: "%.1e", p) : String(format: "%.3f", p) }

  /// One block character per value, scaled between the series' min and max; a gap for a missing value.
  static func sparkline(_ values: [Double?]) -> String { SuiteTrend.sparkline(values) }

  /// The report of `history trend` for one suite.
  static func render(_ drift: DriftReport) -> String {
    var out = "suite \(drift.suite): \(drift.runs.count) runs (\(drift.runs.first ?? "") … \(drift.runs.last ?? "")), "
    out += "\(drift.paired) cases judged in every run\n"
    let rates = drift.passRate.compactMap { $0 }
    if let first = rates.first, let last = rates.last {
      out += "  pass rate  \(sparkline(drift.passRate))  \(percent(first)) → \(percent(last))\n"
    }
    let scores = drift.meanScore.compactMap { $0 }
    if let first = scores.first, let last = scores.last {
      out += "  score      \(sparkline(drift.meanScore))  \(String(format: "%.3f → %.3f", first, last))\n"
    }
    let latency = drift.latencyP50Ms.compactMap { $0 }
    if let first = latency.first, let last = latency.last {
      out +=
        "  latency    \(sparkline(drift.latencyP50Ms))  \(String(format: "%.0f → %.0f ms (median, not tested)", first, last))\n"
    }
    for t in drift.tests {
      let change =
        t.test == .mcnemar
        ? String(format: "%+.1f pt", 100 * t.change)
        : t.metric == "pass_rate"
          ? String(format: "%+.2f pt per run", 100 * t.change) : String(format: "%+.4f per run", t.change)
      out +=
        "  \(t.drifting ? "DRIFTING" : "stable  ")  \(t.metric) \(t.test == .mcnemar ? "McNemar oldest→newest" : "trend"): "
      out += "\(change), p = \(p(t.p)), Holm \(p(t.adjustedP)) (\(t.detail))\n"
    }
    if drift.tests.isEmpty { out += "  too few runs to test (need 2 for McNemar, 3 for a trend)\n" }
    return out
  }
}
