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
  /// True when baseline and candidate ran interleaved in one job (`evalgate canary`), so time-dependent
  /// metrics such as latency compare like with like and gate; false for a stored baseline, against which
  /// they are reported only (see ``MetricSpec/gatesStoredBaseline``).
  public var armsInterleaved = false
  /// Per-suite gates, by suite id then metric name: each metric named here is compared on that suite's
  /// cases alone (reported as `<suite>/<metric>`) with these settings over ``metrics``, and the pooled
  /// metric of the same name leaves that suite's cases out, so no case is judged twice.
  public var suites: [String: [String: MetricOverride]] = [:]

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
    /// See ``MetricSpec/direction`` (scores only).
    public var direction: MetricSpec.Direction?
    /// See ``MetricSpec/group``.
    public var group: String?
    /// See ``MetricSpec/gatesStoredBaseline``.
    public var gateAgainstBaseline: Bool?

    /// Creates an override.
    public init(
      tolerance: Double? = nil, margin: Double? = nil, critical: Bool? = nil, weight: Double? = nil,
      direction: MetricSpec.Direction? = nil, group: String? = nil, gateAgainstBaseline: Bool? = nil
    ) {
      self.gateAgainstBaseline = gateAgainstBaseline
      self.tolerance = tolerance
      self.margin = margin
      self.critical = critical
      self.weight = weight
      self.direction = direction
      self.group = group
    }

    /// `spec` with these settings over its own; a new tolerance without a margin moves the margin to
    /// 2.5× it.
    public func applied(to spec: MetricSpec) -> MetricSpec {
      var out = MetricSpec(
        name: spec.name, kind: spec.kind, scoreName: spec.scoreName, tolerance: tolerance ?? spec.tolerance,
        margin: margin ?? (tolerance.map { $0 * 2.5 } ?? spec.margin), critical: critical ?? spec.critical,
        weight: weight ?? spec.weight, direction: direction ?? spec.direction, group: group ?? spec.group)
      out.suite = spec.suite
      // A metric made critical on purpose gates wherever it is compared, unless told otherwise.
      out.gatesStoredBaseline = gateAgainstBaseline ?? (critical == true ? true : spec.gatesStoredBaseline)
      return out
    }

    /// These settings with `other`'s over them where `other` sets one.
    public func merging(_ other: MetricOverride) -> MetricOverride {
      MetricOverride(
        tolerance: other.tolerance ?? tolerance, margin: other.margin ?? margin, critical: other.critical ?? critical,
        weight: other.weight ?? weight, direction: other.direction ?? direction, group: other.group ?? group,
        gateAgainstBaseline: other.gateAgainstBaseline ?? gateAgainstBaseline)
    }
  }

  /// `spec` with this policy's override for its name applied, and marked report-only when it does not gate
  /// this kind of comparison (latency against a stored baseline).
  public func applying(to spec: MetricSpec) -> MetricSpec {
    var out = metrics[spec.name].map { $0.applied(to: spec) } ?? spec
    if !armsInterleaved, !out.gatesStoredBaseline {
      out.reportOnly = true
      out.weight = 0
      out.critical = false
    }
    return out
  }

  /// The metrics scoped to one suite: each metric a suite gate names, with the project's override and then
  /// the suite's applied, named `<suite>/<metric>`. `pooled` are the project-wide metrics; a suite gate may
  /// also name a metric they lack (a score only that suite has).
  public func suiteMetrics(pooled: [MetricSpec]) -> [MetricSpec] {
    suites.keys.sorted().flatMap { suite in
      (suites[suite] ?? [:]).keys.sorted().compactMap { name -> MetricSpec? in
        guard let base = pooled.first(where: { $0.name == name }) ?? MetricSpec(named: name).map(applying) else {
          return nil
        }
        var spec = suites[suite]?[name]?.applied(to: base) ?? base
        spec.suite = suite
        spec.name = "\(suite)/\(name)"
        spec.group = "\(suite)/\(spec.group)"
        return spec
      }
    }
  }

  /// This policy with suites' own gates added; where the project config sets the same metric of the same
  /// suite (`verdict: suites:`), its settings win.
  public func adding(suiteGates: [String: [String: MetricOverride]]) -> VerdictPolicy {
    var out = self
    for (suite, gate) in suiteGates where !gate.isEmpty {
      let project = suites[suite] ?? [:]
      out.suites[suite] = gate.merging(project) { own, central in own.merging(central) }
    }
    return out
  }

  /// The suites whose own gate names `metric`: the pooled metric of that name leaves their cases out.
  public func suitesScoping(_ metric: String) -> Set<String> {
    Set(suites.filter { $0.value[metric] != nil }.keys)
  }

  /// The defaults.
  public init() {}
}
