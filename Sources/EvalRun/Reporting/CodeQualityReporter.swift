import EvalCore
import EvalReports

/// gl-code-quality.json: GitLab's Code Quality report of the failing cases.
public struct CodeQualityReporter: Reporter {
  public let artifact = "gl-code-quality.json"
  public let readsTrends = false

  /// The reporter.
  public init() {}

  public func finish(_ run: FinishedRun) async throws {
    try AtomicFile.write(to: run.file(artifact), durable: false) { fd in
      try CodeQualityReport.write(run.report) { try $0.withUnsafeBytes { try AtomicFile.writeAll(fd, $0) } }
    }
  }
}
