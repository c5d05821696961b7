import EvalCore

/// The runs recorded before this one, and where this one is recorded: read while the calls run (for the
/// trend charts), made ready while the reports are written, written last (with the exit code). A history never
/// fails a run: it warns on its own.
public protocol RunHistory: Sendable {
  /// What is read before the run ends (the suites' last runs, an opened store), handed back to record.
  associatedtype Past: Sendable

  /// Reads what the history holds of `suites` (suite ids), while the calls run of a run expected to finish
  /// `cases` cases.
  func past(suites: [String], cases: Int) async -> Past
  /// Each suite's trend over its last runs followed by `report`, for the charts in the reports.
  func trends(with report: RunReport, past: Past) -> [SuiteTrend]
  /// What is made ready of `report`'s record while the run's reports are written (nothing is written), handed
  /// back to record.
  func prepare(_ report: RunReport, past: Past) async -> Past
  /// Records `report`, whose results.json is `resultsFile` (its SHA-256 `resultsSHA256` when it was hashed as it
  /// was written; else the file is read), with the run's exit code.
  func record(_ report: RunReport, exitCode: Int32, resultsFile: String, resultsSHA256: String?, past: Past) async
}

extension RunHistory {
  /// Nothing made ready: the record is made when the run is recorded.
  public func prepare(_ report: RunReport, past: Past) async -> Past { past }
}
