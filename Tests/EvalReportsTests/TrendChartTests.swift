import EvalCore
import EvalReports
import Foundation
import Testing

/// Trends from the history in report.html and summary.md: golden with a trend, unchanged without one.
struct TrendChartTests {
  /// Five runs of the fixture's suites: pass rate sliding, latency rising; the last run has no latencies.
  static func trends(for report: RunReport) -> [SuiteTrend] {
    var trends: [SuiteTrend] = []
    for (k, suite) in report.suites.enumerated() {
      var points: [SuiteTrend.Point] = []
      for i in 0..<5 {
        let step = Double(i)
        let rate: Double = 0.95 - 0.02 * step - 0.1 * Double(k)
        let score: Double? = i == 2 ? nil : 0.9 - 0.01 * step
        let p50: Double? = i == 4 ? nil : 100 + 20 * step
        let p95: Double? = i == 4 ? nil : 300 + 45 * step
        points.append(
          SuiteTrend.Point(
            runID: "20261202T1\(i)0000Z-00000\(i)", startedAt: Date(timeIntervalSince1970: 1_790_000_000 + 3600 * step),
            passRate: rate, meanScore: score, latencyP50Ms: p50, latencyP95Ms: p95))
      }
      trends.append(SuiteTrend(suite: suite.id, points: points))
    }
    return trends
  }

  @Test func goldenWithTrends() throws {
    let report = try ReportFixtures.withRetrieval()
    let trends = Self.trends(for: report)
    let html = HTMLReport().render(report, trends: trends)
    let start = try #require(html.range(of: "<h2>Trends</h2>"))
    let end = try #require(html.range(of: "</div>\n", range: start.upperBound..<html.endIndex))
    try assertSnapshot(Array(html[start.lowerBound..<end.upperBound].utf8), named: "trends.html")
    try assertSnapshot(Array(RunSummaryMarkdown().markdown(report, trends: trends).utf8), named: "summary-trends.md")
    // The rest of the page is the page without trends.
    let plain = HTMLReport().render(report)
    #expect(String(html[..<start.lowerBound]) + String(html[end.upperBound...]) == plain)
    #expect(html.components(separatedBy: "<figure class=\"trend\">").count - 1 == report.suites.count)
  }

  @Test func withoutHistoryOrWithOneRunTheReportsAreUnchanged() throws {
    let report = try ReportFixtures.withRetrieval()
    let one = Self.trends(for: report).map { SuiteTrend(suite: $0.suite, points: [$0.points[0]]) }
    #expect(HTMLReport().render(report, trends: one) == HTMLReport().render(report))
    #expect(RunSummaryMarkdown().markdown(report, trends: one) == RunSummaryMarkdown().markdown(report))
    #expect(TrendChart.svg(one[0]).isEmpty)
  }

  @Test func theSparklineFollowsTheValuesAndTheChartEscapesTheSuite() throws {
    let trend = SuiteTrend(
      suite: "<b>x</b>",
      points: [0.5, 0.75, 1.0].enumerated().map { i, rate in
        SuiteTrend.Point(
          runID: "\(i)", startedAt: Date(timeIntervalSince1970: Double(i)), passRate: rate, meanScore: nil,
          latencyP50Ms: nil, latencyP95Ms: nil)
      })
    let line = TrendChart.markdownLine(trend)
    #expect(line.contains("pass rate `▁▅█` 50.0 % → 100.0 %"), "\(line)")
    #expect(!line.contains("score"))
    let svg = TrendChart.svg(trend)
    #expect(!svg.contains("<b>"))
    #expect(svg.contains("&lt;b&gt;x&lt;/b&gt;"))
    // Three points for the pass rate, none for the missing series; the newest run (1.0) at the top right.
    #expect(svg.components(separatedBy: "<circle").count - 1 == 3)
    #expect(svg.contains("<circle cx=\"352.0\" cy=\"16.0\""))
  }

  @Test func aTrendIsBuiltFromRecordsOfTheSuiteOnly() {
    func record(_ id: String, _ suites: [String], pass: Int, latency: Double) -> RunRecord {
      let start = Date(timeIntervalSince1970: 1_790_000_000)
      return RunRecord(
        id: id, kind: .run, startedAt: start, finishedAt: start, suites: suites, summary: RunSummary([CaseResult]()),
        gate: .passed, passRate: 1,
        cases: suites.flatMap { s in
          (0..<4).map { i in
            RunRecord.CaseOutcome(
              id: "\(i)", suite: s, outcome: i < pass ? .passed : .failed, score: i < pass ? 1 : 0,
              latencyMs: latency * Double(i + 1))
          }
        },
        audit: AuditRecord(recordedAt: start, toolVersion: "t"))
    }
    let runs = [
      record("a", ["s"], pass: 4, latency: 10), record("b", ["other"], pass: 0, latency: 99),
      record("c", ["s", "other"], pass: 2, latency: 20), record("d", ["s"], pass: 3, latency: 30),
    ]
    let trend = SuiteTrend(suite: "s", runs: runs, window: 2)
    #expect(trend.points.map(\.runID) == ["c", "d"])
    #expect(trend.points.map(\.passRate) == [0.5, 0.75])
    #expect(trend.points.map(\.latencyP50Ms) == [50, 75])  // median of 20, 40, 60, 80 and of 30…120
    #expect(trend.points.map(\.latencyP95Ms) == [80, 120])
  }
}
