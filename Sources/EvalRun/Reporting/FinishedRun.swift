import EvalCore
import EvalReports

/// A finished run, as one reporter sees it (``Reporter/finish(_:)``): the report, where the artifacts go, and
/// what the run kept of each case for this reporter.
public struct FinishedRun: Sendable {
  /// The run's report, its cases in report order.
  public var report: RunReport
  /// The folder the artifacts go to.
  public var outputDir: String
  /// Each suite's points over its last runs (for the charts), oldest first.
  public var trends: [SuiteTrend]
  let fragments: CaseFragments
  /// This reporter's slot among the kept pieces (``CaseFragments/slots``), when it keeps any.
  let slot: Int?

  /// A run finished with nothing kept per case: every artifact renders every case.
  public init(report: RunReport, outputDir: String, trends: [SuiteTrend] = []) {
    self.init(report: report, outputDir: outputDir, trends: trends, fragments: .none, slot: nil)
  }

  init(report: RunReport, outputDir: String, trends: [SuiteTrend], fragments: CaseFragments, slot: Int?) {
    self.report = report
    self.outputDir = outputDir
    self.trends = trends
    self.fragments = fragments
    self.slot = slot
  }

  /// The case's results.jsonl line, as the run kept it.
  public func line(_ id: CaseID) -> [UInt8]? { fragments.line(id) }

  /// This reporter's piece of the case, as its ``Reporter/caseFinished(_:)`` returned it.
  public func piece(_ id: CaseID) -> [UInt8]? { slot.flatMap { fragments.piece($0, of: id) } }

  /// The case whole: read back from its line when the run held it compacted (``CaseResult/compacted()``), for
  /// an artifact that renders it again (a regression, a new name).
  public func whole(_ c: CaseResult) -> CaseResult { fragments.whole(c) }

  /// `path` in the output folder.
  public func file(_ name: String) -> String { outputDir + "/" + name }
}
