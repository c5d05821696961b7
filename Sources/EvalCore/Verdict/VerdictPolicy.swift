/// The knobs of the comparison and verdict (verdict.md §4.1), with defaults that give a sound verdict
/// without configuration.
public struct VerdictPolicy: Sendable, Hashable, Codable {
  /// What an INCONCLUSIVE critical metric does.
  public enum InconclusivePolicy: String, Sendable, Hashable, Codable {
    /// Hold for a human (the default).
    case hold
    /// Count it as passing.
    case pass
  }

  /// Significance level of each test of a non-critical metric (after the Benjamini–Hochberg adjustment).
  public var alpha: Double = 0.05
  /// Significance level of a critical metric, which decides a ROLLBACK alone: stricter, so that identical
  /// models are rolled back in at most about 1 % of runs. Evidence between this and `alpha` holds.
  public var criticalAlpha: Double = 0.01
  /// Score (0–100) at or above which the verdict may be PROMOTE.
  public var passScore: Double = 95
  /// Score below which the verdict is ROLLBACK.
  public var marginalScore: Double = 75
  /// Fewer paired cases than this fraction of the baseline holds the verdict.
  public var minCoverage: Double = 0.95
  /// A metric with fewer pairs than this is NODATA.
  public var minCases: Int = 3
  /// Bootstrap resamples per interval.
  public var resamples: Int = 4000
  /// Seed of every bootstrap and permutation draw (printed with the verdict).
  public var seed: UInt64 = 20_261_129
  /// What an INCONCLUSIVE critical metric does.
  public var inconclusive: InconclusivePolicy = .hold
  /// Cases that must keep passing: one that passed all of k ≥ 3 repeats in the baseline and fails all k
  /// in the candidate is a ROLLBACK on its own.
  public var mustPass: Set<CaseID> = []
  /// Per-metric settings over the defaults, by metric name (`pass_rate`, `latency`, `score:<name>`, …).
  public var metrics: [String: MetricOverride] = [:]

  /// Settings of one metric that replace its defaults; `nil` keeps the default.
  public struct MetricOverride: Sendable, Hashable, Codable {
    /// See ``MetricSpec/tolerance``.
    public var tolerance: Double?
    /// See ``MetricSpec/margin``.
    public var margin: Double?
    /// See ``MetricSpec/critical``.
    public var critical: Bool?
    /// See ``MetricSpec/weight``; 0 leaves the metric out of the score (shown, not counted).
    public var weight: Double?

    /// Creates an override.
    public init(tolerance: Double? = nil, margin: Double? = nil, critical: Bool? = nil, weight: Double? = nil) {
      self.tolerance = tolerance
      self.margin = margin
      self.critical = critical
      self.weight = weight
    }
  }

  /// `spec` with this policy's override for its name applied.
  public func applying(to spec: MetricSpec) -> MetricSpec {
    guard let o = metrics[spec.name] else { return spec }
    return MetricSpec(
      name: spec.name, kind: spec.kind, scoreName: spec.scoreName, tolerance: o.tolerance ?? spec.tolerance,
      margin: o.margin ?? (o.tolerance.map { $0 * 2.5 } ?? spec.margin), critical: o.critical ?? spec.critical,
      weight: o.weight ?? spec.weight)
  }

  /// The defaults.
  public init() {}
}
