import EvalCore
import Foundation
import Testing

/// A trend point computed from a run's results one case at a time is the point of the record the run stores.
struct SuiteTrendTests {
  @Test func theReportedRunsPointIsItsRecordsPoint() throws {
    let outcomes: [Outcome] = [.passed, .failed, .errored, .skipped]
    let results = try RunnerTests.cases(40, repeats: 2).enumerated().map { i, c -> CaseResult in
      var c = c
      c.suiteID = i % 3 == 0 ? "other" : "s"
      let attempts = (0..<2).map { r in
        let outcome = outcomes[(i + r * (i % 5)) % outcomes.count]
        return AttemptResult(
          index: r, outcome: outcome, latencyMs: Double(40 + (i * 37 + r * 11) % 300),
          score: outcome == .passed ? 1 : outcome == .failed ? Double(i % 4) / 4 : nil)
      }
      return CaseResult(case: c, attempts: attempts)
    }
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    let report = RunReport(
      tool: .init(name: "t", version: "0"), startedAt: start, finishedAt: start, interrupted: false,
      settings: .init(concurrency: 4, timeoutMs: 300), suites: [], cases: results, gate: Gate())
    let record = RunRecord(
      report: report, id: "", kind: .run, exitCode: nil, audit: AuditRecord(recordedAt: start, toolVersion: ""))
    for suite in ["s", "other", "none"] {
      let point = SuiteTrend.Point(report: report, suite: suite)
      #expect(point == SuiteTrend.Point(run: record, suite: suite))
      let latencies = record.cases(of: suite).compactMap(\.latencyMs).sorted()
      #expect(point.passRate == record.passRate(of: suite))
      #expect(point.meanScore == record.meanScore(of: suite))
      #expect(point.latencyP50Ms == Descriptive.median(latencies))
      #expect(point.latencyP95Ms == Descriptive.percentile(latencies, 0.95))
      #expect(point.runID == "" && point.startedAt == start)
    }
    #expect(SuiteTrend.Point(report: report, suite: "s").passRate != nil)
    #expect(SuiteTrend.Point(report: report, suite: "none").passRate == nil)
  }
}
