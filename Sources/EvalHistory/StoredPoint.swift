import EvalCore
import Foundation

/// A run's trend point as both stores keep it, one row per run and suite (`run_point` in SQLite,
/// `evalgate_run_point` in PostgreSQL), written with the run's row from the record being appended
/// (``RunRecordDraft/suitePoints()``), so the trend charts read a few numbers per run rather than its cases.
/// Derived data: not part of the record, its hash or the chain. A point is kept only when it reads back to the
/// bit (``isKept(_:)``); a run with no row has its point computed from its record, as before the table.
enum StoredPoint {
  /// Whether `point` reads back from the table exactly: none of its figures is NaN (SQLite keeps a NaN as
  /// NULL) or negative zero (SQLite writes an integral REAL as an integer, and reads 0 back as +0.0). The
  /// same rule in both stores, so they keep the same rows.
  static func isKept(_ point: SuiteTrend.Point) -> Bool {
    [point.passRate, point.meanScore, point.latencyP50Ms, point.latencyP95Ms].allSatisfy { figure in
      guard let figure else { return true }
      return !figure.isNaN && !(figure == 0 && figure.sign == .minus)
    }
  }

  /// The point of a row: run `runID`, its start time as the record's text has it (`startedAt`), and its
  /// figures; `nil` when the start time is not a record's timestamp (the run's point is then computed from its
  /// record).
  static func point(
    runID: String, startedAt: String, passRate: Double?, meanScore: Double?, latencyP50Ms: Double?,
    latencyP95Ms: Double?
  ) -> SuiteTrend.Point? {
    guard let date = AuditChain.decodedDate(startedAt) else { return nil }
    return SuiteTrend.Point(
      runID: runID, startedAt: date, passRate: passRate, meanScore: meanScore, latencyP50Ms: latencyP50Ms,
      latencyP95Ms: latencyP95Ms)
  }
}
