import EvalCore
import Foundation

extension HistoryStore {
  /// Drift detection over `suite`'s newest `window` runs, their records read one at a time (oldest first) into
  /// a ``DriftAccumulator``, each case by case as its chunk arrives (``StoredRecordReader``): the memory of a
  /// chunk and the per-case sums, never a whole record or the whole window. `known` is a record already in
  /// memory, used instead of reading it back when it is in the window. `started`: the test begun on the runs
  /// before the newest (``startDrift(suite:window:detector:)``), used when they are still the window's; only
  /// the newest run is then read.
  public func drift(
    suite: String, window: Int, detector: DriftDetector = DriftDetector(), known: RunRecord? = nil,
    started: DriftStart? = nil
  ) async throws -> DriftReport {
    let entries = try await entries(suite: suite, limit: window)
    if let started, started.suite == suite, started.accumulator.detector == detector, started.begins(entries),
      let newest = entries.last
    {
      var accumulator = started.accumulator
      try await add(newest, to: &accumulator)
      return accumulator.report()
    }
    var accumulator = DriftAccumulator(detector: detector, suite: suite, count: entries.count)
    for entry in entries {
      if let known, known.id == entry.id {
        accumulator.add(known)
      } else {
        try await add(entry, to: &accumulator)
      }
    }
    return accumulator.report()
  }

  /// `suite`'s point (pass rate, mean score, latency) in each of its newest `limit` runs, oldest first: as kept
  /// when the run was appended (``storedPoints(suite:limit:)``), or, for a run with none (stored before the
  /// points were kept), computed from its record read case by case, chunk by chunk (what is kept of a run is
  /// its suite's latencies). The two are the same point, to the bit.
  public func trendPoints(suite: String, limit: Int) async throws -> [SuiteTrend.Point] {
    var points: [SuiteTrend.Point] = []
    for (entry, stored) in try await storedPoints(suite: suite, limit: limit) {
      if let stored {
        points.append(stored)
        continue
      }
      let reader = try await StoredRecordReader(self, at: entry.position)
      points.append(
        try await SuiteTrend.Point(runID: reader.header.id, startedAt: reader.header.startedAt, suite: suite) {
          take in try await reader.forEachCase(take)
        })
    }
    return points
  }

  /// The record of the run at `position`, decoded whole.
  /// - Throws: `HistoryError.corruptRecord` when there is none there or it cannot be decoded.
  public func record(at position: Int) async throws -> RunRecord {
    try SQLiteHistoryStore.decode(try await storedRecord(at: position), position: position)
  }

  /// The record of the run at `position`, to read case by case from its whole text (held: for a large record,
  /// ``StoredRecordReader`` reads it chunk by chunk).
  /// - Throws: `HistoryError.corruptRecord` when there is none there or it cannot be read.
  public func reader(at position: Int) async throws -> RunRecordReader {
    let bytes = try await storedRecord(at: position)
    do {
      return try RunRecordReader(bytes)
    } catch {
      throw HistoryError.corruptRecord(position: position, reason: "\(error)")
    }
  }
}
