import EvalCore
import EvalReports

/// gl-code-quality.json: GitLab's Code Quality report of the failing cases.
public struct CodeQualityReporter: Reporter {
  public let artifact = "gl-code-quality.json"

  /// The reporter.
  public init() {}

  public func finish(_ run: FinishedRun) async throws {
    try AtomicFile.write(try CodeQualityReport.render(run.report), to: run.file(artifact), durable: false)
  }
}
