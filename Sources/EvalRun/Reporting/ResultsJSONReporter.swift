import EvalCore
import EvalReports

/// results.json: the run's report, each case's entry its results.jsonl line as the run kept it.
public struct ResultsJSONReporter: Reporter {
  public let artifact = "results.json"
  public let readsTrends = false

  /// The reporter.
  public init() {}

  public func finish(_ run: FinishedRun) async throws {
    try AtomicFile.write(to: run.file(artifact), durable: false) { fd in
      try JSONReport.write(run.report, encoded: run.line, whole: run.whole) { try AtomicFile.writeAll(fd, $0) }
    }
  }
}
