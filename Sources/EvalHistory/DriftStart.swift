import EvalCore

/// One suite's drift test begun before its run is recorded: the runs before it in the window read into a
/// ``DriftAccumulator`` while the run's reports are written (``HistoryStore/startDrift(suite:window:detector:)``),
/// so recording the run reads only its own record (``HistoryStore/drift(suite:window:detector:known:started:)``).
/// At 100,000 cases a full window's nine earlier runs were most of the history's time at the end of a run.
public struct DriftStart: Sendable {
  /// The suite.
  public let suite: String
  /// The earlier runs read, oldest first: the window is theirs and the run's only when these are still the
  /// runs before it once it is appended (another process, or the spool, may have appended runs since).
  let entries: [HistoryEntry]
  /// Those runs, added.
  let accumulator: DriftAccumulator

  /// Whether `window` (the suite's newest runs once the run is appended, oldest first) is the runs read and
  /// then one more.
  func begins(_ window: [HistoryEntry]) -> Bool {
    window.count == entries.count + 1 && window.dropLast().elementsEqual(entries)
  }
}

extension HistoryStore {
  /// `suite`'s drift test begun on the `window - 1` runs the store holds of it (the run about to be appended
  /// makes the window), read one at a time; `nil` when the window would be shorter than the test needs
  /// (``HistoryRecorder/driftRuns``).
  /// - Throws: when a run cannot be read.
  public func startDrift(suite: String, window: Int, detector: DriftDetector = DriftDetector()) async throws
    -> DriftStart?
  {
    let entries = try await entries(suite: suite, limit: window - 1)
    guard entries.count + 1 >= HistoryRecorder.driftRuns else { return nil }
    var accumulator = DriftAccumulator(detector: detector, suite: suite, count: entries.count + 1)
    for entry in entries { try await add(entry, to: &accumulator) }
    return DriftStart(suite: suite, entries: entries, accumulator: accumulator)
  }

  /// Adds the run of `entry` to `accumulator`, read case by case as its chunks arrive.
  func add(_ entry: HistoryEntry, to accumulator: inout DriftAccumulator) async throws {
    let reader = try await StoredRecordReader(self, at: entry.position)
    try await accumulator.add(runID: reader.header.id, expecting: reader.header.summary.total) { take in
      try await reader.forEachCase(take)
    }
  }
}
