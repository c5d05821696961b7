import EvalCore
import EvalReports

/// report.html: each case's row rendered as the case finishes and kept; the page assembled at the end, with
/// the suites' trend charts.
public struct HTMLReporter: Reporter {
  public let artifact = "report.html"
  public let keepsCasePieces = true

  /// The reporter.
  public init() {}

  public func caseFinished(_ finished: FinishedCase) throws -> [UInt8]? {
    Array(HTMLReport.caseRow(finished.result).utf8)
  }

  public func finish(_ run: FinishedRun) async throws {
    try AtomicFile.write(to: run.file(artifact), durable: false) { fd in
      try HTMLReport().write(
        run.report, row: { run.piece($0).map { String(decoding: $0, as: UTF8.self) } }, whole: run.whole,
        trends: run.trends
      ) { piece in
        var piece = piece
        try piece.withUTF8 { try AtomicFile.writeAll(fd, UnsafeRawBufferPointer($0)) }
      }
    }
  }
}
