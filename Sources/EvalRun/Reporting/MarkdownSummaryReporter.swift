import EvalCore
import EvalReports

/// summary.md: the run's Markdown summary (what a pull-request comment or a CI job summary shows).
public struct MarkdownSummaryReporter: Reporter {
  public let artifact = "summary.md"

  /// The reporter.
  public init() {}

  public func finish(_ run: FinishedRun) async throws {
    try AtomicFile.write(
      RunSummaryMarkdown().markdown(run.report, trends: run.trends), to: run.file(artifact), durable: false)
  }
}
