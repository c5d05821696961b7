import EvalCore
import Foundation

/// `summary.md`: a run for people, in Markdown (GitHub job summary, a PR comment): the gate, a row per
/// suite and retrieval fixture, and the failures with their location and reason. Never over
/// ``VerdictSummary/maxBytes`` (GitHub's 1 MiB job-summary limit): failures are cut with a count of the
/// rest. Model output is never copied in; every cell is escaped.
public struct RunSummaryMarkdown {
  /// Marks an evalgate PR comment, so CI can find and update its own comment instead of adding one.
  public static let commentMarker = "<!-- evalgate-summary -->"

  /// Creates a renderer.
  public init() {}

  /// The Markdown; its first line states the decision that sets the exit code, and the comment marker
  /// closes it. `trends` (from the history) add a sparkline line per suite with two runs or more.
  public func markdown(_ report: RunReport, trends: [SuiteTrend] = []) -> String {
    var out = body(report, trends: trends)
    out += "\n\(RunSummaryMarkdown.commentMarker)\n"
    return out
  }

  func body(_ report: RunReport, trends: [SuiteTrend] = []) -> String {
    let e = { (s: String) in VerdictSummary.escape(s, keepCode: false) }
    let decision = report.effectiveDecision
    var out =
      "## \(DecisionText.icon(decision)) evalgate: \(VerdictSummary.escape(decision.headline, keepCode: true))\n\n"
    if DecisionText.showsGateBesideVerdict(report) { out += "Cases: \(e(report.gate.reason)).\n\n" }
    let t = report.summary
    let units = RunUnits(report)
    out += "\(units.casesText): \(t.passed) passed, \(t.failed) failed, \(t.errored) errored, \(t.skipped) skipped"
    out += RunSummaryText.usage(t).map { "; \(e($0))" }.joined() + ".\n\n"
    if let retrieval = units.retrievalText { out += "\(retrieval); junit.xml counts \(units.junitText).\n\n" }
    if !report.suites.isEmpty {
      out += "| suite | passed | failed | errored | skipped |\n|---|---:|---:|---:|---:|\n"
      for s in report.suites {
        let m = s.summary
        out += "| \(e(s.id)) | \(m.passed) | \(m.failed) | \(m.errored) | \(m.skipped) |\n"
      }
      out += "\n"
    }
    for s in report.suites {
      guard let derived = s.derivedMetrics, !derived.isEmpty else { continue }
      out += "**Derived metrics of \(e(s.id))**\n\n| prompt | provider | metric | value |\n|---|---|---|---:|\n"
      for d in derived {
        let value = d.value.map { JSONValue.format(($0 * 10000).rounded() / 10000) } ?? "— (\(e(d.note ?? "")))"
        out += "| \(e(d.prompt)) | \(e(d.provider)) | \(e(d.name)) | \(value) |\n"
      }
      out += "\n"
    }
    let shown = trends.filter(\.isShown)
    if !shown.isEmpty {
      out += "**Trends** (from the history):\n\n" + shown.map(TrendChart.markdownLine).joined() + "\n"
    }
    for r in report.retrieval ?? [] {
      out += "**Retrieval \(e(r.fixture))** (\(r.counts.queries) queries): "
      out += r.measures.map { "\(e($0)) \(RetrievalResult.format(r.means[$0] ?? 0))" }.joined(separator: ", ")
      out += r.failures.isEmpty ? "\n\n" : "; ❌ " + r.failures.map(e).joined(separator: "; ") + "\n\n"
    }
    // Read as listed (each whole, from its kept line in a large run), never all at once.
    let bad = report.cases.failures
    guard !bad.isEmpty else { return out }
    out += "### Failures\n\n| case | where | why |\n|---|---|---|\n"
    let budget = VerdictSummary.maxBytes - 200
    for (i, c) in bad.enumerated() {
      let why =
        c.attempts.last { $0.outcome == c.outcome }.map { a in
          a.error.map { "\($0.typeName): \($0.message)" }
            ?? a.assertions.filter { !$0.pass }.map { "\($0.type): \($0.reason)" }.joined(separator: "; ")
        } ?? ""
      let row = "| \(e(c.title)) [\(e(c.provider))] | \(e(c.file)):\(c.line ?? 0) | \(e(why)) |\n"
      if out.utf8.count + row.utf8.count > budget {
        out += "\n… and \(bad.count - i) more failures (see results.json).\n"
        break
      }
      out += row
    }
    return out
  }
}
