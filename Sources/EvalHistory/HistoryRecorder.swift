import EvalCore
import Foundation

/// Appends a run's record to the history without ever failing the run: the spool is flushed first, and a
/// store that cannot be reached keeps the record in the spool; every problem comes back as a warning line.
public struct HistoryRecorder: Sendable {
  /// The store's location.
  public var location: HistoryLocation
  /// Where records wait when the store is unreachable.
  public var spool: HistorySpool

  /// A recorder for `location`, spooling into `spool`.
  public init(location: HistoryLocation, spool: HistorySpool) {
    self.location = location
    self.spool = spool
  }

  /// The fewest runs drift is tested over (and warned of).
  public static let driftRuns = 3

  /// What appending did.
  public struct Outcome: Sendable {
    /// The sealed record without its cases, when it was stored.
    public var stored: RunRecord?
    /// Spooled records flushed into the store first.
    public var flushed: Int
    /// Warnings for the console (never errors).
    public var warnings: [String]
    /// Drift detection over each of the run's suites' window after appending, by suite (a suite with fewer
    /// than ``driftRuns`` runs, or whose window could not be read, is left out); computed while its records
    /// are read, one at a time.
    public var drift: [String: DriftReport]
  }

  /// Flushes the spool and appends `record`: ``append(_:window:detector:opened:)-(RunRecordDraft,_,_,_)`` of
  /// its draft.
  public func append(
    _ record: RunRecord, window: Int = 10, detector: DriftDetector = DriftDetector(),
    opened: Result<any HistoryStore, any Error>? = nil
  ) async -> Outcome {
    await append(RunRecordDraft(record), window: window, detector: detector, opened: opened)
  }

  /// Flushes the spool and appends `draft`; then tests each of the record's suites' last `window` runs for
  /// drift with `detector` (reading them one record at a time, this one too, so its outcomes are never held
  /// as an array). `opened` is the store already opened (or the failure to open it) earlier in the run, so a
  /// run opens its history once; the store is closed at the end either way. `started`: each suite's drift test
  /// begun on the runs before this one while the run's reports were written (used when they are still the
  /// runs before it).
  public func append(
    _ draft: consuming RunRecordDraft, window: Int = 10, detector: DriftDetector = DriftDetector(),
    opened: Result<any HistoryStore, any Error>? = nil, started: [String: DriftStart] = [:]
  ) async -> Outcome {
    var outcome = Outcome(stored: nil, flushed: 0, warnings: [], drift: [:])
    var draft = draft
    let store: any HistoryStore
    do {
      if let opened { store = try opened.get() } else { store = try await location.open() }
    } catch {
      outcome.warnings.append(keep(draft, because: "the history at \(location) cannot be opened (\(error))"))
      return outcome
    }
    do {
      outcome.flushed = try await spool.flush(into: store)
    } catch {
      outcome.warnings.append(
        "warning: history: spooled records could not be flushed (\(error)); they stay in \(spool.directory)")
    }
    do {
      outcome.stored = try await store.append(&draft)
    } catch {
      outcome.warnings.append(
        keep(draft, because: "the run could not be written to the history at \(location) (\(error))"))
    }
    _ = consume draft
    if let stored = outcome.stored {
      for suite in stored.suites {
        // Drift is tested over three runs or more: a shorter window is not read (at 100,000 cases a record
        // read back and paired case by case costs tens of megabytes).
        guard let runs = try? await store.entries(suite: suite, limit: window), runs.count >= Self.driftRuns else {
          continue
        }
        outcome.drift[suite] = try? await store.drift(
          suite: suite, window: window, detector: detector, started: started[suite])
      }
    }
    await store.close()
    return outcome
  }

  private func keep(_ draft: RunRecordDraft, because reason: String) -> String {
    do {
      try spool.keep(draft)
      return "warning: history: \(reason); the record is kept in \(spool.directory) for the next run"
    } catch {
      return "warning: history: \(reason); the record could not be spooled either (\(error)) and is lost"
    }
  }
}
