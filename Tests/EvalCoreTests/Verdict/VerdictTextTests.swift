import EvalCore
import Foundation
import Testing

/// How a metric reads: words that agree with the sign, the p-value of the direction that matters, in
/// significant digits.
struct VerdictTextTests {
  @Test(arguments: [
    (1.1e-5, "1.1e-05"), (1e-5, "1e-05"), (0.00098, "9.8e-04"), (0.0021, "0.0021"), (0.034, "0.034"), (0.5, "0.5"),
    (1, "1"), (0.05, "0.05"), (0, "0"),
  ])
  func pValuesInSignificantDigits(p: Double, text: String) {
    #expect(Verdict.formatP(p) == text)
  }

  @Test func anImprovementReadsBetterWithThePOfTheImprovement() {
    let m = MetricResult(
      spec: MetricSpec(kind: .latency), pairs: 40, baseline: 120, candidate: 74.4, harm: -0.38,
      interval: -0.45 ... -0.3, test: "sign-flip on log ratios", p: 1, pBetter: 1.1e-5, verdict: .improved)
    let text = Verdict.describe(m)
    #expect(text.hasPrefix("`latency` IMPROVED: 120 → 74.4 (38% better)"), "\(text)")
    #expect(text.contains("p = 1.1e-05"), "\(text)")
    #expect(!text.contains("worse") && !text.contains("p = 1,") && !text.hasSuffix("p = 1"))
  }

  @Test func aRegressionReadsWorseWithoutASignAndSmallPsAreNotZero() {
    let m = MetricResult(
      spec: MetricSpec(kind: .passRate), pairs: 40, baseline: 1, candidate: 0.75, harm: 0.25, interval: 0.125...0.375,
      test: "McNemar exact", p: 1.1e-5, pBetter: 1, verdict: .regressed)
    #expect(Verdict.describe(m) == "`pass_rate` REGRESSED: 1 → 0.75 (0.25 worse) [0.125, 0.375], p = 1.1e-05")
  }

  @Test func latencyAgainstAStoredBaselineIsReportedNotGated() {
    let stored = VerdictPolicy().applying(to: MetricSpec(kind: .latency))
    #expect(stored.reportOnly && stored.weight == 0 && !stored.critical)
    var canary = VerdictPolicy()
    canary.armsInterleaved = true
    #expect(!canary.applying(to: MetricSpec(kind: .latency)).reportOnly)
    var configured = VerdictPolicy()
    configured.metrics["latency"] = .init(gateAgainstBaseline: true)
    let gated = configured.applying(to: MetricSpec(kind: .latency))
    #expect(!gated.reportOnly && gated.weight == 1)
    #expect(!VerdictPolicy().applying(to: MetricSpec(kind: .passRate)).reportOnly)
  }

  /// A 30 % slower candidate against a stored baseline is reported REGRESSED but the verdict promotes.
  @Test func aSlowerCandidateAgainstAStoredBaselineStillPromotes() {
    func records(latency: Double) -> [CaseRecord] {
      (0..<60).map { i in
        CaseRecord(
          id: CaseID(rawValue: String(format: "%016x", i)), suite: "s", title: "c\(i)", provider: "p", file: "s.yaml",
          line: i + 1, samples: [.init(index: 0, pass: true, score: 1, latencyMs: latency * (1 + Double(i % 7) / 50))])
      }
    }
    let c = Comparison(baseline: records(latency: 400), candidate: records(latency: 520))
    let latency = c.metrics.first { $0.spec.name == "latency" }
    #expect(latency?.verdict == .regressed)
    #expect(c.verdict.decision == .promote, "\(c.verdict.reasons)")
    var interleaved = VerdictPolicy()
    interleaved.armsInterleaved = true
    #expect(
      Comparison(baseline: records(latency: 400), candidate: records(latency: 520), policy: interleaved)
        .verdict.decision != .promote)
  }
}
