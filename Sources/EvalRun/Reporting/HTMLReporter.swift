import EvalCore
import EvalReports

/// report.html: each case's row rendered as the case finishes and kept; the page assembled at the end, with
/// the suites' trend charts.
public struct HTMLReporter: Reporter {
  public let artifact = "report.html"
  public let keepsCasePieces = true

  /// The page's renderer (its limits: ``HTMLReport/caseLimit``, ``HTMLReport/passingSample``).
  public let page: HTMLReport
  /// How many cases the run has. Above the page's ``HTMLReport/caseLimit`` only a sample of the passing cases is
  /// shown (at 100,000 cases, 1 row in 100), which the page renders at the end from each sampled case read back
  /// whole. Reading a case back (`JSONDecoder`) costs about 15 times what rendering its row as it finishes does, so
  /// passing rows are left to the end only from ``lateRowsFrom`` cases on (docs/benchmarks.md, session 15).
  public let expectedCases: Int
  /// The run size from which a passing case's row is not rendered as it finishes: where the rows thrown away
  /// would cost more than the sampled cases read back.
  public var lateRowsFrom: Int { max(page.caseLimit + 1, 20 * page.passingSample) }

  /// The reporter of a run of `expectedCases` cases (0 when unknown: every row is rendered as its case finishes).
  public init(page: HTMLReport = HTMLReport(), expectedCases: Int = 0) {
    self.page = page
    self.expectedCases = expectedCases
  }

  public func caseFinished(_ finished: FinishedCase) throws -> [UInt8]? {
    // An empty piece: kept as nothing (the case can be held compacted); `finish` renders the row if the sample
    // shows it.
    if expectedCases >= lateRowsFrom, finished.result.outcome == .passed { return [] }
    return Array(HTMLReport.caseRow(finished.result).utf8)
  }

  public func finish(_ run: FinishedRun) async throws {
    try AtomicFile.write(to: run.file(artifact), durable: false) { fd in
      try page.write(
        run.report, row: { run.piece($0).flatMap { $0.isEmpty ? nil : String(decoding: $0, as: UTF8.self) } },
        whole: run.whole,
        trends: run.trends
      ) { piece in
        var piece = piece
        try piece.withUTF8 { try AtomicFile.writeAll(fd, UnsafeRawBufferPointer($0)) }
      }
    }
  }
}
