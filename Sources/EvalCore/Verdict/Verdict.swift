import Foundation

/// The canary verdict and why (verdict.md §4.5).
public struct Verdict: Sendable, Hashable, Codable {
  /// The decision.
  public enum Decision: String, Sendable, Hashable, Codable {
    /// Ship it: no material regression found.
    case promote = "PROMOTE"
    /// A person should look: the data cannot exclude a regression, or a non-critical metric regressed.
    case hold = "HOLD"
    /// Do not ship: a critical metric or a must-pass case regressed, or the score is below the marginal.
    case rollback = "ROLLBACK"
  }

  /// The decision.
  public var decision: Decision
  /// The weighted share of metrics not regressed, 0–100, two decimals.
  public var score: Double
  /// The reasons, most important first.
  public var reasons: [String]

  /// Creates a verdict.
  public init(decision: Decision, score: Double, reasons: [String]) {
    self.decision = decision
    self.score = score
    self.reasons = reasons
  }

  /// Decides from classified metrics, coverage, must-pass regressions and failing new cases (which have
  /// no baseline to compare with), first matching rule wins.
  public static func decide(
    metrics: [MetricResult], coverage: Double, mustPassRegressions: [String], newFailing: Int = 0,
    policy: VerdictPolicy
  ) -> Verdict {
    let classified = metrics.filter { $0.verdict != .nodata }
    // Kayenta's score over groups (verdict.md §4.5): each group counts with the mean weight of its
    // members, by the weighted share of its members that did not regress; a metric is its own group
    // unless grouped (latency and its p95 are one); weight 0 is shown, not counted.
    let groups = Dictionary(grouping: classified.filter { $0.spec.weight > 0 }) { $0.spec.group }
    var total = 0.0
    var good = 0.0
    for members in groups.values {
      let weight = members.reduce(0) { $0 + $1.spec.weight }
      let share = members.filter { $0.verdict != .regressed }.reduce(0) { $0 + $1.spec.weight } / weight
      total += weight / Double(members.count)
      good += weight / Double(members.count) * share
    }
    let score = total == 0 ? 100 : ((good / total) * 10_000).rounded() / 100

    var rollback: [String] = []
    for m in metrics where m.spec.critical && m.verdict == .regressed { rollback.append("critical \(describe(m))") }
    rollback += mustPassRegressions.map { "must-pass case \($0)" }
    if score < policy.marginalScore {
      rollback.append("score \(format(score)) < marginal \(format(policy.marginalScore))")
    }
    if !rollback.isEmpty { return Verdict(decision: .rollback, score: score, reasons: rollback) }

    var hold: [String] = []
    for m in metrics where m.spec.critical {
      if m.verdict == .nodata, m.pairs < policy.minCases {
        hold.append(
          "critical `\(m.spec.name)`: \(m.pairs) paired case\(m.pairs == 1 ? " is" : "s are") too few to judge (at least "
            + "\(policy.minCases): add cases, or lower verdict.minCases)")
      } else if m.verdict == .nodata {
        hold.append("critical `\(m.spec.name)` has no data (\(m.pairs) pairs)")
      }
      if m.verdict == .inconclusive, policy.inconclusive == .hold {
        hold.append("critical \(describe(m)): cannot rule out a regression beyond \(margin(m.spec))")
      }
    }
    if coverage < policy.minCoverage {
      hold.append("coverage \(format(coverage * 100))% < \(format(policy.minCoverage * 100))% of the baseline's cases")
    }
    if newFailing > 0 { hold.append("\(newFailing) new case\(newFailing == 1 ? "" : "s") not in the baseline fail") }
    if !metrics.isEmpty, metrics.filter({ $0.verdict == .nodata }).count * 2 >= metrics.count {
      hold.append("half or more of the metrics have no data")
    }
    if score < policy.passScore {
      hold.append("score \(format(score)) < pass \(format(policy.passScore))")
      for m in metrics where !m.spec.critical && m.verdict == .regressed { hold.append(describe(m)) }
    }
    if !hold.isEmpty { return Verdict(decision: .hold, score: score, reasons: hold) }
    return Verdict(decision: .promote, score: score, reasons: ["no material regression in \(metrics.count) metrics"])
  }

  /// "`pass_rate` REGRESSED: 0.92 → 0.85 (0.07 worse) [0.03, 0.11], p_adj = 0.0041": the change in words
  /// that agree with its sign (`worse`, `better`, `unchanged`), and the p-value of the direction that
  /// matters (of the improvement for an improved metric), in significant digits.
  public static func describe(_ m: MetricResult) -> String {
    var text = "`\(m.spec.name)` \(m.verdict.rawValue)"
    if let b = m.baseline, let c = m.candidate { text += ": \(format(b)) → \(format(c))" }
    if let h = m.harm {
      let size = m.spec.kind.isRelative ? format(abs(h) * 100) + "%" : format(abs(h))
      text += h > 0 ? " (\(size) worse)" : h < 0 ? " (\(size) better)" : " (unchanged)"
    }
    if let ci = m.interval { text += " [\(format(ci.lowerBound)), \(format(ci.upperBound))]" }
    if m.verdict == .improved, let p = m.pBetter {
      text += ", p = \(formatP(p))"
    } else if let p = m.pAdjusted ?? m.p {
      text += ", p\(m.pAdjusted != nil && !m.spec.critical ? "_adj" : "") = \(formatP(p))"
    }
    if m.spec.reportOnly { text += " (reported, not gating: \(reportOnlyReason))" }
    return text
  }

  /// Why a metric is shown but does not gate a comparison with a stored baseline.
  public static let reportOnlyReason =
    "the baseline's latency was measured at another time, often on another machine; evalgate canary gates it"

  /// A p-value in two significant digits: `0.0021`, `0.5`, `1.1e-05`; `1` for 1.
  public static func formatP(_ p: Double) -> String {
    guard p.isFinite else { return "\(p)" }
    if p >= 1 { return "1" }
    if p == 0 { return "0" }
    if p < 0.001 {
      let text = String(format: "%.1e", p)  // 1.1e-05
      return text.replacingOccurrences(of: ".0e", with: "e")
    }
    var text = String(format: "%.2g", p)
    if text.contains("e") { text = String(format: "%.5f", p) }
    return text
  }

  static func margin(_ spec: MetricSpec) -> String {
    spec.kind.isRelative ? "\(format(spec.margin * 100))%" : format(spec.margin)
  }

  /// Up to 4 significant decimals, no trailing zeros.
  public static func format(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    let digits = abs(x) >= 100 ? 1 : abs(x) >= 1 ? 3 : 4
    var text = String(format: "%.\(digits)f", x)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
  }

  /// A fraction as a percentage, `75 %`; `—` when unknown.
  public static func percent(_ x: Double?) -> String { x.map { format($0 * 100) + " %" } ?? "—" }

  static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "") + format(x) }
}
