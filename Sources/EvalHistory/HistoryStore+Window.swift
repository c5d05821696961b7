import EvalCore

extension HistoryStore {
  /// Drift detection over `suite`'s newest `window` runs, their records read one at a time (oldest first) into
  /// a ``DriftAccumulator``: the memory of one record and the per-case sums, never the whole window. `known` is
  /// a record already in memory (the run just appended), used instead of reading it back when it is in the
  /// window.
  public func drift(
    suite: String, window: Int, detector: DriftDetector = DriftDetector(), known: RunRecord? = nil
  ) async throws -> DriftReport {
    let entries = try await entries(suite: suite, limit: window)
    var accumulator = DriftAccumulator(detector: detector, suite: suite, count: entries.count)
    for entry in entries {
      if let known, known.id == entry.id {
        accumulator.add(known)
      } else {
        accumulator.add(try await record(at: entry.position))
      }
    }
    return accumulator.report()
  }

  /// `suite`'s point (pass rate, mean score, latency) in each of its newest `limit` runs, oldest first, each
  /// record read and dropped in turn.
  public func trendPoints(suite: String, limit: Int) async throws -> [SuiteTrend.Point] {
    var points: [SuiteTrend.Point] = []
    for entry in try await entries(suite: suite, limit: limit) {
      points.append(SuiteTrend.Point(run: try await record(at: entry.position), suite: suite))
    }
    return points
  }
}
