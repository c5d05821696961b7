/// How one metric compares: the values, the harm-oriented change with its interval and p-value, and the
/// class it earns.
public struct MetricResult: Sendable, Hashable, Codable {
  /// The class of a metric (verdict.md §4.4).
  public enum Class: String, Sendable, Hashable, Codable {
    /// Significantly worse (adjusted p < α) by more than the tolerance.
    case regressed = "REGRESSED"
    /// Significantly better by more than the tolerance.
    case improved = "IMPROVED"
    /// Not worse: the interval's harmful end is within the tolerance.
    case pass = "PASS"
    /// Neither: the data cannot rule out a material regression (too few cases or too much noise).
    case inconclusive = "INCONCLUSIVE"
    /// Too few cases with data on both sides.
    case nodata = "NODATA"
  }

  /// The metric.
  public var spec: MetricSpec
  /// Cases with data on both sides.
  public var pairs: Int
  /// The baseline's value (a rate or mean score; the median latency; total cost or tokens).
  public var baseline: Double?
  /// The candidate's value.
  public var candidate: Double?
  /// The change in the harmful direction: positive is worse. A difference for rates and scores
  /// (e.g. 0.05 = 5 points lower pass rate), a ratio minus one for latency, cost and tokens.
  public var harm: Double?
  /// The 95 % interval of `harm` (paired bootstrap).
  public var interval: ClosedRange<Double>?
  /// The one-sided 95 % upper bound of `harm`: PASS when it is within the margin.
  public var bound: Double?
  /// The test behind `p`.
  public var test: String
  /// One-sided p that the candidate is worse.
  public var p: Double?
  /// `p` after the Benjamini–Hochberg adjustment across non-critical metrics (critical ones keep `p`).
  public var pAdjusted: Double?
  /// One-sided p that the candidate is better.
  public var pBetter: Double?
  /// The smallest p-value the test could have given on these data (0.5^discordant pairs for McNemar): a
  /// test that cannot reach α is left out of the Holm family of critical metrics (Tarone).
  public var minAttainableP: Double?
  /// The class.
  public var verdict: Class

  /// Creates a result.
  public init(
    spec: MetricSpec, pairs: Int, baseline: Double?, candidate: Double?, harm: Double?,
    interval: ClosedRange<Double>?, bound: Double? = nil, test: String, p: Double?, pAdjusted: Double? = nil,
    pBetter: Double?, verdict: Class
  ) {
    self.spec = spec
    self.pairs = pairs
    self.baseline = baseline
    self.candidate = candidate
    self.harm = harm
    self.interval = interval
    self.bound = bound
    self.test = test
    self.p = p
    self.pAdjusted = pAdjusted
    self.pBetter = pBetter
    self.verdict = verdict
  }
}
