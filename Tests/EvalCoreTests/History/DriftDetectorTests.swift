import EvalCore
import Foundation
import Testing

struct DriftDetectorTests {
  @Test func pairedTrendIsExactForFewMovingCases() {
    let trend = PairedTrend([[1, 0], [1, 0], [1, 0], [1, 1], [0, 0]])
    #expect(trend.moving == 3)
    #expect(trend.exact)
    #expect(trend.pDecreasing == 1.0 / 8)
    #expect(trend.pIncreasing == 1)
    #expect(abs(trend.slope - -0.6) < 1e-12)
  }

  @Test func pairedTrendIgnoresACaseLevelThatDoesNotMove() {
    #expect(PairedTrend([[1, 1, 1], [0, 0, 0], [0.5, 0.5, 0.5]]).moving == 0)
    #expect(PairedTrend([[1, 1, 1], [0, 0, 0]]).pDecreasing == 1)
  }

  @Test func aSteadySlideIsDrift() {
    // 200 cases; from run to run 4 more cases fail (2 points), which no single step would show.
    let window = (0..<10).map { n in HistoryFixtures.record(n, cases: 200) { $0 >= 4 * n } }
    let report = DriftDetector().analyze(suite: "s", window: window)
    #expect(report.drifting)
    #expect(report.paired == 200)
    #expect(report.runs.count == 10)
    let mcnemar = report.tests.first { $0.metric == "pass_rate" && $0.test == .mcnemar }
    #expect(mcnemar?.drifting == true)
    #expect(mcnemar?.detail == "36 pass→fail, 0 fail→pass of 200 paired cases")
    #expect(abs((mcnemar?.change ?? 0) - -0.18) < 1e-12)
    #expect(report.tests.contains { $0.metric == "accuracy" && $0.drifting })
    #expect(report.passRate.first == 1)
    #expect(abs(((report.passRate.last ?? nil) ?? 0) - 0.82) < 1e-12)
  }

  @Test func aStableHistoryIsNotDrift() {
    let window = (0..<10).map { n in HistoryFixtures.record(n, cases: 200) { $0 % 10 != 0 } }
    let report = DriftDetector().analyze(suite: "s", window: window)
    #expect(!report.drifting)
    #expect(report.tests.allSatisfy { $0.p == 1 })
  }

  @Test func flakyCasesThatDoNotTrendAreNotDrift() {
    // Every case flips each run, in a balanced pattern: lots of movement, no direction.
    let window = (0..<10).map { n in HistoryFixtures.record(n, cases: 200) { ($0 + n) % 2 == 0 } }
    let report = DriftDetector().analyze(suite: "s", window: window)
    #expect(!report.drifting)
  }

  @Test func improvementIsNotDrift() {
    let window = (0..<10).map { n in HistoryFixtures.record(n, cases: 200) { $0 < 100 + 10 * n } }
    #expect(!DriftDetector().analyze(suite: "s", window: window).drifting)
  }

  @Test func onlyCasesInEveryRunArePaired() {
    var window = (0..<5).map { n in HistoryFixtures.record(n, cases: 50) { _ in true } }
    window[2].cases.removeLast(10)
    window[3].cases[0].outcome = .errored
    #expect(DriftDetector().analyze(suite: "s", window: window).paired == 39)
  }

  @Test func otherSuitesAndAMetricFilterAreRespected() {
    let window = (0..<6).map { n in HistoryFixtures.record(n, cases: 100) { $0 >= 10 * n } }
    #expect(DriftDetector().analyze(suite: "other", window: window).paired == 0)
    let only = DriftDetector(metric: "pass_rate").analyze(suite: "s", window: window)
    #expect(Set(only.tests.map(\.metric)) == ["pass_rate"])
  }

  @Test func aWindowOfOneRunHasNoTests() {
    let report = DriftDetector().analyze(
      suite: "s", window: [HistoryFixtures.record(0, cases: 10) { _ in true }])
    #expect(report.tests.isEmpty)
    #expect(!report.drifting)
  }
}
