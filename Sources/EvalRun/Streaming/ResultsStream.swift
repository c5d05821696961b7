import EvalCore
import EvalReports
import Foundation

/// Hands each finished case to the run's reporters (``Reporter``) as the run goes: results.jsonl gets the lines
/// of the cases the run's consumer takes at once (``RunFeed``) in one write, so a crash loses only what had not
/// reached the consumer yet; the pieces other reporters return (a JUnit test case, a
/// report.html row) go with the case's line into a scratch file beside the reports (``CaseFragments``), so the
/// artifacts at the end only assemble, and a large run's rendered cases are not held in memory. Each case is
/// encoded once (its results.jsonl line) for every reporter.
public actor ResultsStream {
  private let reporters: [any Reporter]
  /// For each reporter, its slot among the kept pieces (`nil`: it keeps none).
  private let slots: [Int?]
  private let keepers: Int
  /// The first reporter failure, for the end-of-run warning.
  public private(set) var failure: String?
  /// Where each case's pieces are in `spill`.
  private var entries = CaseFragments.Index()
  /// The cases whose pieces are all kept and which are not collected yet (a few: those between
  /// ``append(_:)`` and ``collect(_:)``).
  private var complete: Set<CaseID> = []
  private let spill: SpillFile?
  private var spillEnd: Int64 = 0
  /// The lines and pieces of the cases handed over since the last ``flush()``, one after another, and where
  /// each case's are (`nil`: too large to keep).
  private var pending: [UInt8] = []
  private var queued: [(id: CaseID, entry: CaseFragments.Entry?)] = []
  /// Every case's result, in the order the run handed them over; cases whose pieces are all kept are held
  /// compacted and packed (``CaseList/Builder``) when `compact` is set.
  private var results: CaseList.Builder
  private let compact: Bool

  /// A stream feeding `reporters`, its scratch file in `scratch` (the output dir: the same disk as the reports).
  /// - Parameters:
  ///   - expected: how many cases the run has (room is made for them once, not by doubling).
  ///   - compact: hold the cases compacted once their pieces are kept (off when something at the end reads every
  ///     case whole: `afterEach` hooks, a CSV `outputPath`).
  public init(reporters: [any Reporter], scratch: String, expected: Int = 0, compact: Bool = false) {
    var slots: [Int?] = []
    var keepers = 0
    for reporter in reporters {
      if reporter.keepsCasePieces, keepers < CaseFragments.slots {
        slots.append(keepers)
        keepers += 1
      } else {
        slots.append(nil)
      }
    }
    self.reporters = reporters
    self.slots = slots
    self.keepers = keepers
    spill = try? SpillFile(in: scratch)
    self.compact = compact
    results = CaseList.Builder(expected: expected)
    entries.reserveCapacity(expected)
  }

  /// Keeps a case an earlier run finished (`--resume`: its `line` is among the carried ones, already in
  /// results.jsonl) for the reports, as ``append(_:)`` and ``collect(_:)`` keep a case of this run.
  public func carry(_ result: CaseResult, line: [UInt8]) {
    hand(FinishedCase(result: result, line: line, carried: true))
    flush()
    collect(result)
  }

  /// Hands `result` to every reporter (results.jsonl writes its line) and keeps their pieces.
  public func append(_ result: CaseResult) {
    hand(result)
    flush()
  }

  /// Hands each of `finished` to the reporters as ``append(_:)`` does, with one write to results.jsonl and one
  /// to the scratch file for them all; then keeps each of `collected` as ``collect(_:)`` does (a case collected
  /// here finished here or before).
  public func take(finished: [CaseResult], collected: [CaseResult]) {
    for result in finished { hand(result) }
    for result in collected where notRunToHand(result) {
      hand(FinishedCase(result: result, line: try? JSONReport.line(result), notRun: true))
    }
    flush()
    for result in collected { keepCollected(result) }
  }

  private func hand(_ result: CaseResult) {
    let line = try? JSONReport.line(result)
    if line == nil, failure == nil { failure = "cannot encode case \(result.id.rawValue) for results.jsonl" }
    hand(FinishedCase(result: result, line: line))
  }

  /// Gives the case to each reporter and queues the line and the pieces, one after another, for the next
  /// ``flush()``.
  private func hand(_ finished: FinishedCase) {
    let start = pending.count
    var entry = CaseFragments.Entry(offset: spillEnd + Int64(start))
    if let line = finished.line {
      pending += line
      entry.line = Int32(clamping: line.count)
    }
    for (reporter, slot) in zip(reporters, slots) {
      do {
        let piece = try reporter.caseFinished(finished)
        if let slot, let piece {
          pending += piece
          entry.setLength(Int32(clamping: piece.count), slot: slot)
        }
      } catch {
        note(error, of: reporter)
      }
    }
    let id = finished.result.id
    // A case's pieces are addressed by 32-bit lengths: larger ones are not kept (the artifacts render it).
    guard Int32(exactly: pending.count - start) != nil else {
      pending.removeSubrange(start...)
      queued.append((id, nil))
      return
    }
    queued.append((id, entry))
  }

  /// Writes what the reporters buffered, and the queued lines and pieces to the end of the scratch file in one
  /// write (a write a case, and one more for results.jsonl, were 3 % of a large run's CPU). Kept whole or not at
  /// all: when the write fails, the artifacts render those cases themselves.
  private func flush() {
    for reporter in reporters {
      do { try reporter.flush() } catch { note(error, of: reporter) }
    }
    guard !queued.isEmpty else { return }
    let kept = keep(pending)
    for (id, entry) in queued {
      guard kept, let entry else {
        complete.remove(id)
        continue
      }
      entries.set(entry, for: id)
      if entry.isComplete(slots: keepers) { complete.insert(id) } else { complete.remove(id) }
    }
    pending.removeAll(keepingCapacity: true)
    queued.removeAll(keepingCapacity: true)
  }

  /// Remembers the first reporter failure for the end-of-run warning.
  private func note(_ error: any Error, of reporter: any Reporter) {
    guard failure == nil else { return }
    let why = (error as? AtomicFile.Failure)?.description ?? error.localizedDescription
    failure = "cannot write \(reporter.artifact): \(why)"
  }

  /// Keeps a case's result for the reports (after ``append(_:)`` for a case that ran to its end): compacted
  /// when its line and every piece are kept. A skipped case that never reached ``append(_:)`` (the run stopped
  /// before it) gets its line and pieces kept here, its line in the scratch file only, not in results.jsonl
  /// (`--resume` runs it): an interrupted run of 10^6 cases held each of the rest whole.
  public func collect(_ result: CaseResult) {
    if notRunToHand(result) {
      hand(FinishedCase(result: result, line: try? JSONReport.line(result), notRun: true))
      flush()
    }
    keepCollected(result)
  }

  /// Whether `result` is a case that did not run whose pieces are to be kept now (they are none of results.jsonl).
  private func notRunToHand(_ result: CaseResult) -> Bool {
    compact && result.outcome == .skipped && !complete.contains(result.id)
  }

  private func keepCollected(_ result: CaseResult) {
    let kept = complete.remove(result.id) != nil
    results.append(result, compact: compact && kept)
  }

  /// The results kept so far, handed over once (the stream lets go of them).
  public func takeResults() -> CaseList.Builder {
    defer { results = CaseList.Builder() }
    return results
  }

  /// Puts `bytes` at the end of the scratch file; `false` (the artifacts render those cases themselves) when that
  /// fails, the end unmoved, so each case's pieces stay one after another.
  private func keep(_ bytes: [UInt8]) -> Bool {
    guard let spill, (try? spill.write(bytes, at: spillEnd)) != nil else {
      return false
    }
    spillEnd += Int64(bytes.count)
    return true
  }

  /// The pieces kept so far, to read back while the artifacts are written.
  public var fragments: CaseFragments {
    entries.sort()
    return CaseFragments(spill: spill, entries: entries, compacted: compact)
  }

  /// What finishes the reporters with the pieces kept so far, once the run is over.
  public func finisher() -> ReportFinisher {
    ReportFinisher(reporters: reporters, slots: slots, fragments: fragments)
  }
}
