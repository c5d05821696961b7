import EvalCore
import Foundation
import Testing

struct ComparisonTests {
  /// Fewer resamples than the default: the tests check decisions, not interval digits.
  /// Fewer resamples; arms compared like a canary's (interleaved), so latency gates as the tests below expect
  /// (against a stored baseline it is reported only: VerdictTextTests).
  static var fast: VerdictPolicy {
    var p = VerdictPolicy()
    p.resamples = 1000
    p.armsInterleaved = true
    return p
  }

  /// `n` cases with `k` repeats; `pass(i, r)` decides each sample, latency and cost per case.
  static func run(
    _ n: Int, k: Int = 1, latency: (Int) -> Double = { 100 + Double($0 % 7) }, cost: Double? = 0.001,
    pass: (Int, Int) -> Bool
  ) -> [CaseRecord] {
    (0..<n).map { i in
      CaseRecord(
        id: CaseID(rawValue: String(format: "%016x", i)), suite: "s", title: "case \(i)", provider: "p",
        file: "suites/s.yaml", line: i + 1,
        samples: (0..<k).map { r in
          let ok = pass(i, r)
          return CaseRecord.Sample(
            index: r, pass: ok, score: ok ? 1 : 0, latencyMs: latency(i), tokens: 30, cost: cost)
        })
    }
  }

  static func metric(_ c: Comparison, _ name: String) -> MetricResult? { c.metrics.first { $0.spec.name == name } }

  @Test func identicalRunsPromote() {
    let runs = Self.run(200) { i, _ in i % 10 != 0 }
    let c = Comparison(baseline: runs, candidate: runs, policy: Self.fast)
    #expect(c.verdict.decision == .promote, "\(c.verdict.reasons)")
    #expect(c.metrics.allSatisfy { $0.verdict == .pass }, "\(c.metrics.map { ($0.spec.name, $0.verdict) })")
    #expect(c.paired == 200 && c.missing.isEmpty && c.new.isEmpty && c.regressions.isEmpty)
  }

  @Test func aPassRateDropIsARollbackNamingTheMetric() {
    let base = Self.run(200) { i, _ in i % 10 != 0 }  // 90 %
    let cand = Self.run(200) { i, _ in i % 10 != 0 && i % 5 != 1 }  // 70 %: 40 pass → fail flips
    let c = Comparison(baseline: base, candidate: cand, policy: Self.fast)
    let passRate = Self.metric(c, "pass_rate")
    #expect(passRate?.verdict == .regressed)
    #expect(passRate?.test == "McNemar exact")
    #expect(abs((passRate?.harm ?? 0) - 0.2) < 1e-9)
    #expect(c.verdict.decision == .rollback)
    #expect(c.verdict.reasons.first?.contains("`pass_rate` REGRESSED") == true, "\(c.verdict.reasons)")
    #expect(c.regressions.count == 40)
    #expect(c.suitePassRates == [.init(suite: "s", baseline: 0.9, candidate: 0.7)])
  }

  @Test func slowerAnswersHoldForAPerson() {
    let base = Self.run(100) { _, _ in true }
    let cand = Self.run(100, latency: { 150 + Double($0 % 7) }) { _, _ in true }  // +50 %
    let c = Comparison(baseline: base, candidate: cand, policy: Self.fast)
    let latency = Self.metric(c, "latency")
    #expect(latency?.verdict == .regressed)
    #expect(abs((latency?.harm ?? 0) - 0.5) < 0.02)
    #expect(c.verdict.decision == .hold, "\(c.verdict.reasons)")
    #expect(c.verdict.reasons.contains { $0.contains("`latency` REGRESSED") })
  }

  @Test func aConfiguredCriticalLatencyRollsBack() {
    let base = Self.run(100) { _, _ in true }
    let cand = Self.run(100, latency: { 150 + Double($0 % 7) }) { _, _ in true }
    var policy = Self.fast
    policy.metrics["latency"] = .init(critical: true)
    let c = Comparison(baseline: base, candidate: cand, policy: policy)
    #expect(c.verdict.decision == .rollback)
    #expect(c.verdict.reasons.first?.hasPrefix("critical `latency` REGRESSED") == true)
  }

  @Test func aSuiteGateCatchesADropThePooledRateHides() {
    // 400 steady cases in suite "s" and 30 in "safety", 8 of which stop passing: 8 / 430 = 1.9 points
    // pooled, under the 2-point tolerance; 27 points within the safety suite.
    let steady = Self.run(400) { _, _ in true }
    func safety(_ pass: (Int) -> Bool) -> [CaseRecord] {
      Self.run(30) { i, _ in pass(i) }.map { r in
        var r = r
        r.id = CaseID(rawValue: "5afe" + r.id.rawValue.dropFirst(4))
        r.suite = "safety"
        return r
      }
    }
    let base = steady + safety { _ in true }
    let cand = steady + safety { $0 >= 8 }
    let pooled = Comparison(baseline: base, candidate: cand, policy: Self.fast)
    #expect(Self.metric(pooled, "pass_rate")?.verdict != .regressed)
    #expect(pooled.verdict.decision != .rollback, "\(pooled.verdict.reasons)")

    var policy = Self.fast
    policy.suites["safety"] = ["pass_rate": .init(tolerance: 0)]
    let gated = Comparison(baseline: base, candidate: cand, policy: policy)
    let own = Self.metric(gated, "safety/pass_rate")
    #expect(own?.pairs == 30 && own?.spec.suite == "safety" && own?.spec.critical == true)
    #expect(own?.verdict == .regressed)
    #expect(abs((own?.harm ?? 0) - 8.0 / 30) < 1e-9)
    // The pooled rate leaves the safety cases out rather than judging them twice.
    #expect(Self.metric(gated, "pass_rate")?.pairs == 400)
    #expect(Self.metric(gated, "latency")?.pairs == 430)
    #expect(gated.verdict.decision == .rollback)
    #expect(gated.verdict.reasons.first?.contains("`safety/pass_rate` REGRESSED") == true, "\(gated.verdict.reasons)")
  }

  /// `n` cases whose named score `toxicity` is `score(i)`.
  static func scored(_ n: Int, _ score: (Int) -> Double) -> [CaseRecord] {
    Self.run(n) { _, _ in true }.enumerated().map { i, r in
      var r = r
      r.samples[0].scores = ["toxicity": score(i)]
      return r
    }
  }

  @Test func aScoreWhereLowerIsBetterRegressesWhenItRises() {
    let base = Self.scored(100) { 0.1 + Double($0 % 5) / 100 }
    let worse = Self.scored(100) { 0.2 + Double($0 % 5) / 100 }
    var policy = Self.fast
    #expect(
      Self.metric(Comparison(baseline: base, candidate: worse, policy: policy), "score:toxicity")?.verdict
        == .improved)  // by default a higher score is better
    policy.metrics["score:toxicity"] = .init(direction: .lower)
    let rose = Comparison(baseline: base, candidate: worse, policy: policy)
    #expect(Self.metric(rose, "score:toxicity")?.verdict == .regressed)
    #expect(abs((Self.metric(rose, "score:toxicity")?.harm ?? 0) - 0.1) < 1e-9)
    #expect(
      Self.metric(Comparison(baseline: worse, candidate: base, policy: policy), "score:toxicity")?.verdict
        == .improved)
    // `either`: a change beyond the tolerance either way is a regression, tested two-sided.
    policy.metrics["score:toxicity"] = .init(direction: .either)
    for (a, b) in [(base, worse), (worse, base)] {
      let m = Self.metric(Comparison(baseline: a, candidate: b, policy: policy), "score:toxicity")
      #expect(m?.verdict == .regressed && abs((m?.harm ?? 0) - 0.1) < 1e-9)
    }
    #expect(
      Self.metric(Comparison(baseline: base, candidate: base, policy: policy), "score:toxicity")?.verdict
        == .pass)
  }

  @Test func aSlowerTailIsShownAndCountsWhenGivenAWeight() {
    let base = Self.run(200) { _, _ in true }
    // The slowest tenth of the cases takes twice as long; the median case is unchanged.
    let cand = Self.run(200, latency: { ($0 % 10 == 9 ? 2 : 1) * (100 + Double($0 % 7)) }) { _, _ in true }
    let c = Comparison(baseline: base, candidate: cand, policy: Self.fast)
    #expect(Self.metric(c, "latency")?.verdict == .pass)
    let tail = Self.metric(c, "latency_p95")
    #expect(tail?.verdict == .regressed && tail?.test == "paired bootstrap")
    #expect(abs((tail?.harm ?? 0) - 1) < 0.1)
    #expect(c.verdict.decision == .promote, "weight 0 by default: \(c.verdict.reasons)")
    var policy = Self.fast
    policy.metrics["latency_p95"] = .init(weight: 1)
    let counted = Comparison(baseline: base, candidate: cand, policy: policy)
    #expect(counted.verdict.decision == .hold && counted.verdict.score == 91.67, "\(counted.verdict.score)")
  }

  @Test func latencyAndItsTailShareOnePlaceInTheScore() {
    let base = Self.run(100) { _, _ in true }
    let cand = Self.run(100, latency: { 150 + Double($0 % 7) }) { _, _ in true }
    var policy = Self.fast
    policy.metrics["latency_p95"] = .init(weight: 1)
    let c = Comparison(baseline: base, candidate: cand, policy: policy)
    #expect(Self.metric(c, "latency")?.verdict == .regressed && Self.metric(c, "latency_p95")?.verdict == .regressed)
    // Six groups (pass rate, error rate, score, latency, cost, tokens), one of them regressed: 83.33.
    #expect(c.verdict.score == 83.33 && c.verdict.decision == .hold, "\(c.verdict.score)")
  }

  @Test func fasterAnswersAreAnImprovementNotAFailure() {
    let base = Self.run(100) { _, _ in true }
    let cand = Self.run(100, latency: { 50 + Double($0 % 7) }) { _, _ in true }
    let c = Comparison(baseline: base, candidate: cand, policy: Self.fast)
    #expect(Self.metric(c, "latency")?.verdict == .improved)
    #expect(c.verdict.decision == .promote)
  }

  @Test func missingCasesFailAndLowerCoverage() {
    let base = Self.run(100) { _, _ in true }
    let cand = Array(base.prefix(90))
    let c = Comparison(baseline: base, candidate: cand, policy: Self.fast)
    #expect(c.missing.count == 10)
    #expect(abs((Self.metric(c, "pass_rate")?.harm ?? 0) - 0.1) < 1e-9)
    #expect(c.verdict.decision == .rollback)  // 10 of 100 now fail: a 10-point drop
    // Missing cases that failed anyway lower no metric, but the low coverage still holds the verdict.
    let failingTail = Self.run(100) { i, _ in i < 90 }
    let partial = Comparison(baseline: failingTail, candidate: Array(failingTail.prefix(90)), policy: Self.fast)
    #expect(partial.verdict.decision == .hold)
    #expect(partial.verdict.reasons.contains { $0.contains("coverage 90% < 95%") }, "\(partial.verdict.reasons)")
  }

  @Test func newCasesAreListedNotCompared() {
    let base = Self.run(50) { _, _ in true }
    let cand = Self.run(55) { _, _ in true }
    let c = Comparison(baseline: base, candidate: cand, policy: Self.fast)
    #expect(c.new.count == 5 && c.paired == 50)
    #expect(c.verdict.decision == .promote)
  }

  @Test func aSmallNoisySuiteIsInconclusiveAndHolds() {
    // 12 cases, 3 flips each way: nothing can be concluded about a 2-point tolerance.
    let base = Self.run(12) { i, _ in i < 6 }
    let cand = Self.run(12) { i, _ in i >= 3 && i < 9 }
    let c = Comparison(baseline: base, candidate: cand, policy: Self.fast)
    #expect(Self.metric(c, "pass_rate")?.verdict == .inconclusive)
    #expect(c.verdict.decision == .hold)
    #expect(c.verdict.reasons.first?.contains("cannot rule out") == true)
  }

  @Test func aMustPassCaseThatStopsPassingIsARollback() {
    let base = Self.run(40, k: 3) { _, _ in true }
    let cand = Self.run(40, k: 3) { i, _ in i != 7 }
    var policy = Self.fast
    policy.mustPass = [CaseID(rawValue: String(format: "%016x", 7))]
    let c = Comparison(baseline: base, candidate: cand, policy: policy)
    #expect(c.verdict.decision == .rollback)
    #expect(c.verdict.reasons.contains { $0.contains("must-pass case") })
    // Without the flag the same drop is one case in 40: no rollback.
    #expect(Comparison(baseline: base, candidate: cand, policy: Self.fast).verdict.decision != .rollback)
  }

  @Test func aCaseMarkedMustPassInTheBaselineRollsBackWithoutConfig() {
    var base = Self.run(40, k: 3) { _, _ in true }
    base[7].mustPass = true
    let cand = Self.run(40, k: 3) { i, _ in i != 7 }
    let c = Comparison(baseline: base, candidate: cand, policy: Self.fast)
    #expect(c.verdict.decision == .rollback)
    #expect(c.verdict.reasons.contains { $0.contains("must-pass case \(base[7].id)") })
  }

  @Test func repeatsMakeTheCaseTheUnitAndListFlakyCases() {
    let base = Self.run(60, k: 5) { i, r in i % 6 != 0 || r < 3 }  // every 6th case passes 3 of 5
    let c = Comparison(baseline: base, candidate: base, policy: Self.fast)
    #expect(c.flaky.count == 10)
    #expect(Self.metric(c, "pass_rate")?.pairs == 60)  // cases, not 300 samples
    #expect(Self.metric(c, "pass_rate")?.test.hasPrefix("sign-flip") == true)
  }

  @Test func unknownCostIsNotAMetric() {
    let runs = Self.run(30, cost: nil) { _, _ in true }
    let c = Comparison(baseline: runs, candidate: runs, policy: Self.fast)
    #expect(Self.metric(c, "cost") == nil)
  }

  @Test func theSameSeedGivesTheSameComparison() {
    let base = Self.run(80, k: 3) { i, r in (i + r) % 4 != 0 }
    let cand = Self.run(80, k: 3) { i, r in (i * 3 + r) % 5 != 0 }
    #expect(
      Comparison(baseline: base, candidate: cand, policy: Self.fast)
        == Comparison(baseline: base, candidate: cand, policy: Self.fast))
  }
}

/// The worked example of docs/verdict.md, so the page shows what the tool says.
struct VerdictDocExampleTests {
  @Test func workedExample() {
    // 30 pass in both, 9 fail in both, 9 pass → fail, 2 fail → pass: p = 67/2048, significant at 5 %
    // but not at the 1 % a critical metric needs to roll back on its own.
    func base(_ i: Int) -> Bool { i < 30 || (i >= 39 && i < 48) }
    func cand(_ i: Int) -> Bool { i < 30 || i >= 48 }
    let c = Comparison(
      baseline: ComparisonTests.run(50, cost: nil) { i, _ in base(i) },
      candidate: ComparisonTests.run(50, cost: nil) { i, _ in cand(i) })
    #expect(c.verdict.decision == .hold)
    #expect(
      c.verdict.reasons.first
        == "critical `pass_rate` INCONCLUSIVE: 0.78 → 0.64 (0.14 worse) [0.02, 0.26], p = 0.033: "
        + "cannot rule out a regression beyond 0.05")
  }

  @Test func workedExampleWithMoreFlipsRollsBack() {
    // 30 pass in both, 8 fail in both, 11 pass → fail, 1 fail → pass: p = 13/4096.
    func base(_ i: Int) -> Bool { i < 41 }
    func cand(_ i: Int) -> Bool { i < 30 || i == 49 }
    let c = Comparison(
      baseline: ComparisonTests.run(50, cost: nil) { i, _ in base(i) },
      candidate: ComparisonTests.run(50, cost: nil) { i, _ in cand(i) })
    #expect(c.verdict.decision == .rollback)
    #expect(
      c.verdict.reasons.first == "critical `pass_rate` REGRESSED: 0.82 → 0.62 (0.2 worse) [0.08, 0.32], p = 0.0032")
  }

  @Test func workedExampleWithFewerFlipsHolds() {
    // 4 pass → fail and 2 fail → pass: p = 22/64, not significant, but a 2-point drop is not ruled out.
    func base(_ i: Int) -> Bool { i < 39 }
    func cand(_ i: Int) -> Bool { i < 35 || (i >= 39 && i < 41) }
    let c = Comparison(
      baseline: ComparisonTests.run(50, cost: nil) { i, _ in base(i) },
      candidate: ComparisonTests.run(50, cost: nil) { i, _ in cand(i) })
    let passRate = c.metrics.first { $0.spec.name == "pass_rate" }
    #expect(abs((passRate?.p ?? 0) - 22.0 / 64) < 1e-12)
    #expect(passRate?.verdict == .inconclusive)
    #expect(c.verdict.decision == .hold)
  }
}
