/// One metric the verdict compares between baseline and candidate, with its materiality and weight.
/// Directions follow the kind: pass rate and scores are better higher; error rate, latency, cost and
/// tokens are better lower.
public struct MetricSpec: Sendable, Hashable, Codable {
  /// What is compared, per case.
  public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The fraction of a case's repeats that passed.
    case passRate = "pass_rate"
    /// The fraction of a case's repeats that errored (endpoint faults, kept apart from quality).
    case errorRate = "error_rate"
    /// The case's mean weighted score, or a named score (`metric:` on assertions).
    case score
    /// The case's median latency, compared as a ratio.
    case latency
    /// The 95th percentile of the cases' latencies (the slow tail), compared as a ratio.
    case latencyP95 = "latency_p95"
    /// The case's total cost, compared as a ratio of sums.
    case cost
    /// The case's total tokens, compared as a ratio of sums.
    case tokens

    /// Whether the change is judged as a ratio (candidate / baseline − 1) rather than a difference.
    public var isRelative: Bool { self == .latency || self == .latencyP95 || self == .cost || self == .tokens }
  }

  /// Which way is better.
  public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Higher is better (pass rate, scores).
    case higher
    /// Lower is better (error rate, latency, cost, tokens; a score such as toxicity).
    case lower
    /// Any change matters (two-sided).
    case either
  }

  /// The name in reports: `pass_rate`, `error_rate`, `score`, `score:<name>`, `latency`, `cost`, `tokens`.
  public var name: String
  /// What is compared.
  public var kind: Kind
  /// For `score`: the named score, or `nil` for the weighted score.
  public var scoreName: String?
  /// The smallest change in the harmful direction that matters: an absolute difference (0.02 = 2 points)
  /// for rates and scores, a relative one (0.1 = 10 %) for latency, cost and tokens.
  public var tolerance: Double
  /// The non-inferiority margin: the metric PASSes when its interval's harmful end is within it. Wider
  /// than the tolerance (2.5× by default), so that an unchanged model on a flaky suite of a few hundred
  /// cases passes instead of holding, while a change beyond the tolerance is still caught.
  public var margin: Double
  /// A critical metric decides the verdict alone (REGRESSED → ROLLBACK, INCONCLUSIVE → HOLD) and is tested
  /// at α unadjusted; the others share a Benjamini–Hochberg adjustment.
  public var critical: Bool
  /// Weight in the score.
  public var weight: Double
  /// Which way is better: by kind, and configurable for scores (`direction: lower` for a toxicity score).
  public var direction: Direction
  /// Metrics of one group share one place in the score (verdict.md §4.5): `latency` and `latency_p95`
  /// are the group `latency`; any other metric is its own group unless configured.
  public var group: String
  /// The suite whose cases alone this metric compares (a per-suite gate), or `nil` for every case.
  public var suite: String?
  /// Whether the metric gates a comparison with a stored baseline. A stored baseline was measured at
  /// another time, often on another machine, so its latency is confounded with that machine's load:
  /// latency is reported against one but gates only where the arms ran interleaved (`evalgate canary`),
  /// unless configured (`gateAgainstBaseline: true`).
  public var gatesStoredBaseline: Bool
  /// Shown but never counted: a metric that does not gate this comparison (see ``gatesStoredBaseline``).
  public var reportOnly = false

  /// Creates a metric.
  public init(
    name: String? = nil, kind: Kind, scoreName: String? = nil, tolerance: Double? = nil, margin: Double? = nil,
    critical: Bool? = nil, weight: Double = 1, direction: Direction? = nil, group: String? = nil
  ) {
    self.kind = kind
    self.scoreName = scoreName
    self.name = name ?? (scoreName.map { "score:\($0)" } ?? kind.rawValue)
    self.tolerance = tolerance ?? MetricSpec.defaultTolerance(kind)
    self.margin = max(margin ?? self.tolerance * 2.5, self.tolerance)
    self.critical = critical ?? (kind == .passRate || kind == .errorRate)
    self.weight = weight
    self.direction = direction ?? (kind == .passRate || kind == .score ? .higher : .lower)
    self.group = group ?? (kind == .latencyP95 ? MetricSpec.Kind.latency.rawValue : self.name)
    gatesStoredBaseline = kind != .latency && kind != .latencyP95
  }

  /// The metric a config key names: `pass_rate`, `error_rate`, `score`, `score:<name>`, `latency`,
  /// `cost` or `tokens`; `nil` for anything else.
  public init?(named name: String) {
    if name.hasPrefix("score:"), name.count > 6 {
      self.init(kind: .score, scoreName: String(name.dropFirst(6)))
    } else if let kind = Kind(rawValue: name) {
      self.init(kind: kind)
    } else {
      return nil
    }
  }

  /// 2 points for rates and scores, 10 % for latency, cost and tokens.
  public static func defaultTolerance(_ kind: Kind) -> Double {
    switch kind {
    case .passRate, .errorRate, .score: 0.02
    case .latency, .latencyP95, .cost, .tokens: 0.1
    }
  }

  /// The metrics compared when none are configured: pass rate and error rate (critical), the weighted
  /// score, every named score, latency, cost and tokens.
  public static func defaults(scoreNames: [String]) -> [MetricSpec] {
    [MetricSpec(kind: .passRate), MetricSpec(kind: .errorRate), MetricSpec(kind: .score)]
      // A retrieval fixture's measures share one place in the score (they move together).
      + scoreNames.sorted().map { MetricSpec(kind: .score, scoreName: $0, group: RetrievalResult.group(ofScore: $0)) }
      // The p95 is shown but not counted unless given a weight: the slow tail of two runs on a shared CI
      // machine moves with its load more than with the model.
      + [
        MetricSpec(kind: .latency), MetricSpec(kind: .latencyP95, weight: 0), MetricSpec(kind: .cost),
        MetricSpec(kind: .tokens),
      ]
  }
}
