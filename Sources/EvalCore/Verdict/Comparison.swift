import Foundation

/// A candidate run compared with a baseline, case by case (verdict.md §4): cases paired by stable id,
/// each metric tested on per-case values (the case is the unit, never k·n samples), classified, and
/// the verdict decided. Pure and deterministic: the same inputs and seed give the same result.
public struct Comparison: Sendable, Hashable, Codable {
  /// A case whose outcome changed, or that exists on one side only.
  public struct CaseChange: Sendable, Hashable, Codable {
    /// The case id.
    public var id: CaseID
    /// The suite id.
    public var suite: String
    /// The case's title.
    public var title: String
    /// Where the test is defined.
    public var file: String
    /// The test's line.
    public var line: Int?
    /// Baseline pass fraction (`nil`: not in the baseline).
    public var baselinePass: Double?
    /// Candidate pass fraction (`nil`: not in the candidate, or never judged).
    public var candidatePass: Double?
    /// Fisher's exact one-sided p for the drop, when both sides have at least two repeats.
    public var p: Double?

    /// How much less often the case passes (0 when a side has no pass fraction).
    public var drop: Double { (baselinePass ?? 0) - (candidatePass ?? 0) }
  }

  /// Cases on both sides.
  public var paired: Int
  /// Of ``paired``, the retrieval queries (records of provider `retrieval`); `nil` when there are none.
  public var pairedQueries: Int?
  /// Cases in the baseline.
  public var baselineCases: Int
  /// Baseline cases missing from the candidate (they count as failures for quality metrics).
  public var missing: [CaseChange]
  /// Candidate cases the baseline does not have (judged only by the plain gate).
  public var new: [CaseChange]
  /// Paired cases that passed less often (pass → fail), the biggest drops first.
  public var regressions: [CaseChange]
  /// Paired cases that passed more often (fail → pass).
  public var fixes: [CaseChange]
  /// Baseline cases that passed some but not all of their repeats.
  public var flaky: [CaseChange]
  /// Paired cases that errored in the candidate.
  public var errored: [CaseChange]
  /// Every metric, in the order compared.
  public var metrics: [MetricResult]
  /// The verdict.
  public var verdict: Verdict
  /// The seed of the bootstrap and permutation draws.
  public var seed: UInt64
  /// Bootstrap resamples per interval.
  public var resamples: Int
  /// The score at or above which the verdict may be PROMOTE, and below which it is ROLLBACK.
  public var passScore: Double, marginalScore: Double
  /// Pass rate per suite in the baseline and the candidate (mean of the cases' pass fractions), for charts.
  public var suitePassRates: [SuitePassRate]?

  /// One suite's pass rate on each side.
  public struct SuitePassRate: Sendable, Hashable, Codable {
    /// The suite id.
    public var suite: String
    /// Baseline pass rate, when the baseline judged any of its cases.
    public var baseline: Double?
    /// Candidate pass rate, when the candidate judged any.
    public var candidate: Double?

    /// Creates one.
    public init(suite: String, baseline: Double?, candidate: Double?) {
      self.suite = suite
      self.baseline = baseline
      self.candidate = candidate
    }
  }

  /// Compares `candidate` with `baseline`.
  /// - Parameter metrics: what to compare; `nil` for ``MetricSpec/defaults(scoreNames:)``.
  public init(
    baseline: [CaseRecord], candidate: [CaseRecord], metrics: [MetricSpec]? = nil, policy: VerdictPolicy = .init()
  ) {
    let byID = Dictionary(candidate.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let baselineIDs = Set(baseline.map(\.id))
    let pairs = baseline.compactMap { b in byID[b.id].map { (b, $0) } }
    paired = pairs.count
    let queries = pairs.count { $0.0.provider == "retrieval" }
    pairedQueries = queries > 0 ? queries : nil
    baselineCases = baseline.count
    seed = policy.seed
    resamples = policy.resamples
    passScore = policy.passScore
    marginalScore = policy.marginalScore

    func change(_ r: CaseRecord, base: Double?, cand: Double?, p: Double? = nil) -> CaseChange {
      CaseChange(
        id: r.id, suite: r.suite, title: r.title, file: r.file, line: r.line, baselinePass: base, candidatePass: cand,
        p: p)
    }
    missing = baseline.filter { byID[$0.id] == nil }.map { change($0, base: $0.passFraction, cand: nil) }
    new = candidate.filter { !baselineIDs.contains($0.id) }.map { change($0, base: nil, cand: $0.passFraction) }
    flaky = baseline.filter { ($0.passFraction ?? 0) > 0 && ($0.passFraction ?? 1) < 1 }.map {
      change($0, base: $0.passFraction, cand: byID[$0.id]?.passFraction)
    }
    var down: [CaseChange] = []
    var up: [CaseChange] = []
    var mustPass: [String] = []
    for (b, c) in pairs {
      guard let bp = b.passFraction else { continue }
      let cp = c.passFraction ?? 0
      let (bj, cj) = (b.judged.count, c.judged.count)
      if cp < bp {
        let p =
          bj >= 2 && cj >= 2
          ? FisherExact(
            basePass: Int((bp * Double(bj)).rounded()), baseTotal: bj, candPass: Int((cp * Double(cj)).rounded()),
            candTotal: cj
          ).pWorse : nil
        down.append(change(c, base: bp, cand: cp, p: p))
        let flagged = policy.mustPass.contains(b.id) || b.mustPass == true || c.mustPass == true
        if flagged, bp == 1, cp == 0, bj >= 3, cj >= 3 {
          mustPass.append("\(b.id) (\(b.title)): passed \(bj)/\(bj) in the baseline, \(0)/\(cj) now")
        }
      } else if cp > bp {
        up.append(change(c, base: bp, cand: cp))
      }
    }
    regressions = down.sorted { $0.drop > $1.drop }
    fixes = up
    errored = pairs.filter { ($0.1.errorFraction ?? 0) > 0 }.map {
      change($0.1, base: $0.0.passFraction, cand: $0.1.passFraction)
    }

    let scoreNames = Set(
      (baseline + candidate).flatMap { $0.samples.flatMap { $0.scores.map { Array($0.keys) } ?? [] } })
    let rate = { (records: [CaseRecord]) in Descriptive.mean(records.compactMap(\.passFraction)) }
    suitePassRates = Array(Set(baseline.map(\.suite) + candidate.map(\.suite))).sorted().map { s in
      SuitePassRate(
        suite: s, baseline: rate(baseline.filter { $0.suite == s }), candidate: rate(candidate.filter { $0.suite == s })
      )
    }
    let pooled = (metrics ?? MetricSpec.defaults(scoreNames: Array(scoreNames))).map(policy.applying)
    let missingRecords = baseline.filter { byID[$0.id] == nil }
    // A pooled metric leaves out the suites with their own gate for it; a suite's metric sees only its cases.
    var results = (pooled + policy.suiteMetrics(pooled: pooled)).compactMap { spec -> MetricResult? in
      let keep: (CaseRecord) -> Bool
      if let suite = spec.suite {
        keep = { $0.suite == suite }
      } else {
        let scoped = policy.suitesScoping(spec.name)
        if scoped.isEmpty {
          return Comparison.evaluate(spec, pairs: pairs, missing: missingRecords, policy: policy)
        }
        keep = { !scoped.contains($0.suite) }
      }
      return Comparison.evaluate(
        spec, pairs: pairs.filter { keep($0.0) }, missing: missingRecords.filter(keep), policy: policy)
    }
    // Benjamini–Hochberg across the non-critical metrics that were tested and count (weight > 0).
    let family = results.indices.filter {
      !results[$0].spec.critical && results[$0].p != nil && results[$0].spec.weight > 0
    }
    let adjusted = Multiplicity.benjaminiHochberg(family.map { results[$0].p ?? 1 })
    for (i, q) in zip(family, adjusted) { results[i].pAdjusted = q }
    // Holm across the critical metrics: any one of them rolls back alone, so together they keep the
    // chance of a false rollback at the critical α (verdict.md §3: Holm when every false alarm is costly).
    let critical = results.indices.filter {
      results[$0].spec.critical && results[$0].p != nil && (results[$0].minAttainableP ?? 0) < policy.criticalAlpha
    }
    if critical.count > 1 {
      for (i, q) in zip(critical, Multiplicity.holm(critical.map { results[$0].p ?? 1 })) { results[i].pAdjusted = q }
    }
    for i in results.indices { results[i].verdict = Comparison.classify(results[i], policy: policy) }
    self.metrics = results
    let coverage = baseline.isEmpty ? 0 : Double(pairs.count) / Double(baseline.count)
    let newFailing = candidate.filter { !baselineIDs.contains($0.id) && ($0.passFraction ?? 1) < 1 }.count
    verdict = Verdict.decide(
      metrics: results, coverage: coverage, mustPassRegressions: mustPass, newFailing: newFailing, policy: policy)
  }

  /// The class of a tested metric (verdict.md §4.4): REGRESSED needs a one-sided p below α (the
  /// critical α for critical metrics) and a change beyond the tolerance; PASS needs the one-sided 95 %
  /// bound of the change within the margin.
  static func classify(_ m: MetricResult, policy: VerdictPolicy) -> MetricResult.Class {
    guard m.verdict != .nodata, let harm = m.harm, let bound = m.bound else { return .nodata }
    let alpha = m.spec.critical ? policy.criticalAlpha : policy.alpha
    let tolerance = m.spec.tolerance
    if let p = m.pAdjusted ?? m.p, p < alpha, harm > tolerance { return .regressed }
    if let p = m.pBetter, p < policy.alpha, -harm > tolerance { return .improved }
    if bound <= m.spec.margin + 1e-12 { return .pass }
    return .inconclusive
  }

  /// Tests one metric; `nil` when neither side has any data for it (a metric that does not apply).
  static func evaluate(
    _ spec: MetricSpec, pairs: [(CaseRecord, CaseRecord)], missing: [CaseRecord], policy: VerdictPolicy
  ) -> MetricResult? {
    switch spec.kind {
    case .passRate, .errorRate, .score:
      // Per-case values; quality metrics count a missing or never-judged candidate case as a failure.
      // An errored, missing or never-judged candidate case gets the worst quality value: 0, or 1 for a
      // score where lower is better.
      let worst: Double = spec.direction == .lower ? 1 : 0
      let value: (CaseRecord) -> Double? =
        switch spec.kind {
        case .passRate: { $0.passFraction }
        case .errorRate: { $0.errorFraction }
        default: { $0.qualityScore(spec.scoreName, errored: worst) }
        }
      let quality = spec.kind != .errorRate
      var b: [Double] = []
      var c: [Double] = []
      for (x, y) in pairs {
        guard let bx = value(x) else { continue }
        guard let cy = value(y) ?? (quality ? worst : nil) else { continue }
        b.append(bx)
        c.append(cy)
      }
      if quality {
        for x in missing { if let bx = value(x) { b.append(bx); c.append(worst) } }
      }
      if b.isEmpty, !pairs.contains(where: { value($0.1) != nil }) { return nil }
      // Harm is positive when the candidate is worse: lower pass rate or score, higher error rate (for
      // `either`, a fall; the test is then two-sided).
      let d = zip(b, c).map { spec.direction == .lower ? $1 - $0 : $0 - $1 }
      let binary = spec.kind != .score && (b + c).allSatisfy { $0 == 0 || $0 == 1 }
      return difference(
        spec, d: d, binary: binary, baseline: Descriptive.mean(b), candidate: Descriptive.mean(c), policy: policy)
    case .latency, .latencyP95, .cost, .tokens:
      let value: (CaseRecord) -> Double? =
        switch spec.kind {
        case .latency, .latencyP95: { $0.medianLatencyMs }
        case .cost: { $0.totalCost }
        default: { $0.totalTokens.map(Double.init) }
        }
      // Latencies under 50 ms count as 50 ms: the scheduling jitter of an offline provider on a loaded CI
      // machine is not a regression (a model endpoint answers in more).
      let floor = spec.kind == .cost || spec.kind == .tokens ? 0 : Comparison.latencyFloorMs
      let usable = pairs.compactMap { x, y -> (Double, Double)? in
        guard let bx = value(x), let cy = value(y), bx > 0, cy > 0 else { return nil }
        return (max(bx, floor), max(cy, floor))
      }
      // Not applicable when neither side has a positive value (no usage reported, a free provider).
      if usable.isEmpty, !pairs.contains(where: { (value($0.0) ?? 0) > 0 || (value($0.1) ?? 0) > 0 }) { return nil }
      return spec.kind == .latencyP95
        ? tail(spec, pairs: usable, policy: policy) : ratio(spec, pairs: usable, policy: policy)
    }
  }

  /// The slow tail: the ratio of the cases' 95th-percentile latencies, with the paired bootstrap for its
  /// interval and its p-value (the share of resamples in which the tail did not grow).
  static func tail(_ spec: MetricSpec, pairs: [(Double, Double)], policy: VerdictPolicy) -> MetricResult {
    let b = pairs.map(\.0)
    let c = pairs.map(\.1)
    let p95 = { (x: [Double]) in Descriptive.percentile(x.sorted(), 0.95) }
    guard pairs.count >= policy.minCases else {
      return MetricResult(
        spec: spec, pairs: pairs.count, baseline: p95(b), candidate: p95(c), harm: nil, interval: nil, test: "—",
        p: nil, pBetter: nil, verdict: .nodata)
    }
    let statistic: ([Int]) -> Double = { sample in
      (p95(sample.map { c[$0] }) ?? 1) / (p95(sample.map { b[$0] }) ?? 1) - 1
    }
    let draws = PairedBootstrap.distribution(
      cases: pairs.count, resamples: policy.resamples, seed: policy.seed, statistic: statistic)
    let share = { (keep: (Double) -> Bool) in Double(draws.filter(keep).count + 1) / Double(draws.count + 1) }
    return MetricResult(
      spec: spec, pairs: pairs.count, baseline: p95(b), candidate: p95(c), harm: statistic(Array(pairs.indices)),
      interval: Comparison.interval(draws), bound: PairedBootstrap.quantile(draws, 0.95), test: "paired bootstrap",
      p: share { $0 <= 0 }, pBetter: share { $0 >= 0 }, verdict: .pass)
  }

  /// A difference metric: mean of per-case harms, a bootstrap interval, and McNemar's exact test when
  /// the values are `binary` (one repeat, pass/fail), else the sign-flip test.
  static func difference(
    _ spec: MetricSpec, d: [Double], binary: Bool, baseline: Double?, candidate: Double?, policy: VerdictPolicy
  ) -> MetricResult {
    guard d.count >= policy.minCases else {
      return MetricResult(
        spec: spec, pairs: d.count, baseline: baseline, candidate: candidate, harm: nil, interval: nil, test: "—",
        p: nil, pBetter: nil, verdict: .nodata)
    }
    let harm = Descriptive.mean(d) ?? 0
    let draws = PairedBootstrap.distribution(cases: d.count, resamples: policy.resamples, seed: policy.seed) {
      sample in sample.reduce(0) { $0 + d[$1] } / Double(sample.count)
    }
    let test: String
    let p: Double
    let pBetter: Double
    if binary {
      let t = McNemar(regressions: d.filter { $0 > 0 }.count, fixes: d.filter { $0 < 0 }.count)
      (test, p, pBetter) = ("McNemar exact", t.pWorse, t.pBetter)
    } else {
      let t = SignFlip(d, resamples: policy.resamples, seed: policy.seed)
      (test, p, pBetter) = (t.exact ? "sign-flip exact" : "sign-flip", t.pGreater, t.pLess)
    }
    // Each case that changed halves the smallest attainable p (exact tests); resampling floors it.
    let changed = d.filter { $0 != 0 }.count
    var result = MetricResult(
      spec: spec, pairs: d.count, baseline: baseline, candidate: candidate, harm: harm,
      interval: Comparison.interval(draws), bound: PairedBootstrap.quantile(draws, 0.95), test: test, p: p,
      pBetter: pBetter, verdict: .pass)
    result.minAttainableP = max(pow(0.5, Double(changed)), test == "sign-flip" ? 1 / Double(policy.resamples + 1) : 0)
    return Comparison.sided(result, draws: draws)
  }

  /// A ratio metric: latency as the geometric mean of per-case ratios, cost and tokens as a ratio of
  /// sums; the sign-flip test on per-case log ratios.
  static func ratio(_ spec: MetricSpec, pairs: [(Double, Double)], policy: VerdictPolicy) -> MetricResult {
    let b = pairs.map(\.0)
    let c = pairs.map(\.1)
    let shown: (Double?, Double?) =
      spec.kind == .latency ? (Descriptive.median(b), Descriptive.median(c)) : (b.reduce(0, +), c.reduce(0, +))
    guard pairs.count >= policy.minCases else {
      return MetricResult(
        spec: spec, pairs: pairs.count, baseline: shown.0, candidate: shown.1, harm: nil, interval: nil, test: "—",
        p: nil, pBetter: nil, verdict: .nodata)
    }
    let logs = pairs.map { log($0.1 / $0.0) }
    let geometric = spec.kind == .latency
    let statistic: ([Int]) -> Double = { sample in
      var top = 0.0
      var bottom = 0.0
      for i in sample {
        if geometric { top += logs[i] } else { top += c[i]; bottom += b[i] }
      }
      return geometric ? exp(top / Double(sample.count)) - 1 : top / bottom - 1
    }
    let harm = statistic(Array(pairs.indices))
    let draws = PairedBootstrap.distribution(
      cases: pairs.count, resamples: policy.resamples, seed: policy.seed, statistic: statistic)
    let t = SignFlip(logs, resamples: policy.resamples, seed: policy.seed)
    return MetricResult(
      spec: spec, pairs: pairs.count, baseline: shown.0, candidate: shown.1, harm: harm,
      interval: Comparison.interval(draws), bound: PairedBootstrap.quantile(draws, 0.95),
      test: "sign-flip on log ratios", p: t.pGreater, pBetter: t.pLess, verdict: .pass)
  }

  /// For `direction: either`: any change is harm. The change is reported as its size, the p-value is
  /// two-sided, and the bound is the interval's farther end.
  static func sided(_ m: MetricResult, draws: [Double]) -> MetricResult {
    guard m.spec.direction == .either, let harm = m.harm, let p = m.p, let q = m.pBetter else { return m }
    var out = m
    out.harm = abs(harm)
    out.p = min(1, 2 * min(p, q))
    out.pBetter = nil
    out.bound = max(PairedBootstrap.quantile(draws, 0.975), -PairedBootstrap.quantile(draws, 0.025))
    return out
  }

  /// The 95 % percentile interval of sorted bootstrap draws.
  static func interval(_ draws: [Double]) -> ClosedRange<Double> {
    PairedBootstrap.quantile(draws, 0.025)...PairedBootstrap.quantile(draws, 0.975)
  }

  /// Per-case latencies below this many milliseconds are compared as this value.
  public static let latencyFloorMs = 50.0

}
