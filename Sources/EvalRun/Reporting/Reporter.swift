import EvalCore

/// One artifact of a run: results.jsonl, results.json, junit.xml, report.html, summary.md,
/// gl-code-quality.json, the CI system's annotations. Results flow through once: each case goes to
/// ``caseFinished(_:)`` as it finishes (the artifact writes to its file as it goes, or returns its piece of
/// the case, which the run keeps on disk, not in memory), and the finished run to ``finish(_:)``, which writes
/// the artifact with its kept pieces read back in report order.
///
/// ``ResultsStream`` feeds the reporters during the run; ``ReportFinisher`` finishes them side by side.
public protocol Reporter: Sendable {
  /// The artifact, for messages (`results.jsonl`).
  var artifact: String { get }

  /// Whether ``caseFinished(_:)`` returns pieces to keep (a run keeps pieces for a few reporters:
  /// ``CaseFragments/slots``).
  var keepsCasePieces: Bool { get }

  /// Takes a finished case; returns this artifact's piece of it to keep until ``finish(_:)`` (`nil`: none
  /// kept, and `finish` renders the case from its result; empty: nothing to keep, and `finish` renders the case,
  /// if it shows it, from the case read back whole, ``FinishedRun/whole(_:)``).
  /// - Throws: when the artifact cannot be written; the run goes on, and warns at the end.
  func caseFinished(_ finished: FinishedCase) throws -> [UInt8]?

  /// Writes what ``caseFinished(_:)`` buffered: called after each batch of cases the run hands over at once.
  /// - Throws: when the artifact cannot be written; the run goes on, and warns at the end.
  func flush() throws

  /// Called once every case is in, while the run's report is assembled: what needs no report is done here
  /// (results.jsonl's last lines are appended and flushed to disk). A failure is thrown by ``finish(_:)``.
  func casesEnded() async

  /// Whether ``finish(_:)`` reads the suites' trends (``FinishedRun/trends``); the reporters that say they do not
  /// start before the trends are made, and are given none.
  var readsTrends: Bool { get }

  /// Writes the artifact for the finished run.
  /// - Throws: when it cannot be written.
  func finish(_ run: FinishedRun) async throws
}

extension Reporter {
  /// Keeps nothing per case.
  public var keepsCasePieces: Bool { false }

  /// Keeps nothing per case: the artifact is made from the finished run.
  public func caseFinished(_ finished: FinishedCase) throws -> [UInt8]? { nil }

  /// Buffers nothing.
  public func flush() throws {}

  /// Has nothing to do before the report.
  public func casesEnded() async {}

  /// Reads the trends (a reporter that does not says so, and starts sooner).
  public var readsTrends: Bool { true }
}
