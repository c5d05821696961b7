import EvalCore
import EvalReports

/// results.json: the run's report, each case's entry its results.jsonl line as the run kept it.
public struct ResultsJSONReporter: Reporter {
  public let artifact = "results.json"
  public let readsTrends = false

  /// The reporter.
  public init() {}

  /// Writes results.json, hashing it as it goes (the run's audit record carries its SHA-256).
  public func finish(_ run: FinishedRun) async throws {
    var digest = AuditChain.Digest()
    try AtomicFile.write(to: run.file(artifact), durable: false) { fd in
      try JSONReport.write(run.report, encoded: run.line, whole: run.whole) {
        digest.update($0)
        try AtomicFile.writeAll(fd, $0)
      }
    }
    run.wrote(artifact, sha256: digest.hex())
  }
}
