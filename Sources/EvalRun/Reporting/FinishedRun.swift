import EvalCore
import EvalReports
import Synchronization

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
  /// Where this reporter's last look-up of a kept piece ended.
  private let cursor = CaseFragments.Cursor()
  /// The digests the run's reporters noted of the files they wrote (shared by them).
  let digests: Digests

  /// A run finished with nothing kept per case: every artifact renders every case.
  public init(report: RunReport, outputDir: String, trends: [SuiteTrend] = []) {
    self.init(report: report, outputDir: outputDir, trends: trends, fragments: .none, slot: nil, digests: Digests())
  }

  init(
    report: RunReport, outputDir: String, trends: [SuiteTrend], fragments: CaseFragments, slot: Int?,
    digests: Digests
  ) {
    self.report = report
    self.outputDir = outputDir
    self.trends = trends
    self.fragments = fragments
    self.slot = slot
    self.digests = digests
  }

  /// Notes that the file written for `artifact` has the SHA-256 `sha256` (lowercase hex), hashed as it was written:
  /// the run's audit record takes it instead of reading the file again (results.json: 100 ms at 100,000 cases).
  public func wrote(_ artifact: String, sha256: String) {
    digests.byArtifact.withLock { $0[artifact] = sha256 }
  }

  /// The SHA-256 of the files a run's reporters wrote, by artifact, as they noted them (``wrote(_:sha256:)``).
  final class Digests: Sendable {
    let byArtifact = Mutex<[String: String]>([:])

    /// Every digest noted so far.
    var all: [String: String] { byArtifact.withLock { $0 } }
  }

  /// The case's results.jsonl line, as the run kept it.
  public func line(_ id: CaseID) -> [UInt8]? { fragments.line(id, cursor: cursor) }

  /// This reporter's piece of the case, as its ``Reporter/caseFinished(_:)`` returned it.
  public func piece(_ id: CaseID) -> [UInt8]? { slot.flatMap { fragments.piece($0, of: id, cursor: cursor) } }

  /// The case whole: read back from its line when the run held it compacted (``CaseResult/compacted()``), for
  /// an artifact that renders it again (a regression, a new name).
  public func whole(_ c: CaseResult) -> CaseResult { fragments.whole(c) }

  /// `path` in the output folder.
  public func file(_ name: String) -> String { outputDir + "/" + name }
}
