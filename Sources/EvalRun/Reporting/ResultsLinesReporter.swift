import EvalCore
import EvalReports
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// results.jsonl: each case's line appended as the case finishes, so a crash loses nothing that finished
/// (`--resume` reads it back); or, for `evalgate merge`, every line written in report order at the end.
public final class ResultsLinesReporter: Reporter {
  public let artifact = "results.jsonl"
  public let readsTrends = false
  private let path: String
  /// The open file a run appends to (`nil` in report order, or when it could not be opened).
  private let handle: FileHandle?
  private let openFailure: AtomicFile.Failure?
  /// The lines of the cases finished since the last ``flush()``.
  private let pending = Mutex<[UInt8]>([])
  /// Whether the appended file was sealed (its last lines appended, flushed to disk and closed), and how that went.
  private let sealed = Mutex<Result<Void, any Error>?>(nil)

  /// Starts `path` afresh for a run: a new file holding `carried` (the lines an interrupted run finished, for
  /// `--resume`) is written, flushed and renamed over the old one, so the file being resumed is never truncated
  /// or rewritten in place: a kill at any moment leaves either the old file or one with every carried line.
  /// Each finished case's line is then appended.
  public init(path: String, carried: some Sequence<[UInt8]> = [[UInt8]]()) {
    self.path = path
    var opened: FileHandle?
    do {
      try AtomicFile.write(to: path, durable: false) { fd in
        var any = false
        for line in carried {
          try line.withUnsafeBytes { try AtomicFile.writeAll(fd, $0) }
          any = true
        }
        // Carried lines are on disk before the file they came from is replaced.
        if any, fsync(fd) != 0 { throw AtomicFile.Failure(description: "cannot flush \(path)") }
      }
      opened = FileHandle(forWritingAtPath: path)
      _ = try opened?.seekToEnd()
    } catch {
      opened = nil
    }
    handle = opened
    openFailure = opened == nil ? AtomicFile.Failure(description: "cannot open \(path) for writing") : nil
  }

  /// Writes every line at `path` at the end, in report order (`evalgate merge`, whose cases arrive shard by
  /// shard).
  public init(inReportOrderAt path: String) {
    self.path = path
    handle = nil
    openFailure = nil
  }

  private var appends: Bool { handle != nil || openFailure != nil }

  /// Queues the case's line (not a carried one: it is in the file already; nor one that did not run) for the
  /// next ``flush()``.
  public func caseFinished(_ finished: FinishedCase) throws -> [UInt8]? {
    guard appends, !finished.carried, !finished.notRun else { return nil }
    if let openFailure { throw openFailure }
    guard let line = finished.line else {
      throw AtomicFile.Failure(description: "case \(finished.result.id.rawValue) could not be encoded")
    }
    pending.withLock { $0 += line }
    return nil
  }

  /// Appends what is queued, flushes the file to disk and closes it, once; a failure to append is thrown each time.
  private func seal() throws {
    try sealed.withLock { state in
      if state == nil {
        do { state = .success(try flush()) } catch { state = .failure(error) }
        try? handle?.synchronize()
        try? handle?.close()
      }
      try state?.get()
    }
  }

  /// Appends the queued lines in one write.
  public func flush() throws {
    guard let handle else { return }
    var lines: [UInt8] = []
    pending.withLock { swap(&$0, &lines) }
    guard !lines.isEmpty else { return }
    try handle.write(contentsOf: lines)
  }

  /// Seals the appended file as soon as every case is in: its flush to disk goes on while the report is assembled,
  /// not beside the other artifacts' writes, which it held up (docs/benchmarks.md, session 18).
  public func casesEnded() async {
    if appends { _ = try? seal() }
  }

  /// Seals the appended file (if ``casesEnded()`` did not); in report order, writes the file atomically.
  public func finish(_ run: FinishedRun) async throws {
    guard !appends else { return try seal() }
    try AtomicFile.write(to: path) { fd in
      for c in run.report.cases {
        let line = try run.line(c.id) ?? JSONReport.line(run.whole(c))
        try line.withUnsafeBytes { try AtomicFile.writeAll(fd, $0) }
      }
    }
  }
}
