import EvalCore
import EvalReports
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Appends one line per finished case to `results.jsonl` as the run goes, so a crash loses nothing
/// that finished; meanwhile renders each case's JUnit `<testcase>` and report.html row and keeps them, with
/// the case's line, in a scratch file beside the reports (``CaseFragments``), so the reports at the end only
/// assemble and a large run's rendered cases are not held in memory.
public actor ResultsStream {
  private let handle: FileHandle?
  /// Why results.jsonl could not be written, when it could not.
  public private(set) var failure: String?
  /// Where each case's pieces are in `spill`.
  private var entries = CaseFragments.Index()
  /// The cases whose pieces are all kept and which are not collected yet (a few: those between
  /// ``append(_:)`` and ``collect(_:)``).
  private var complete: Set<CaseID> = []
  private let spill: SpillFile?
  private var spillEnd: Int64 = 0
  private let junit: JUnitCaseRenderer?
  private var junitFailed = false
  private let suitesWithManyPrompts: Set<String>
  /// Every case's result, in the order the run handed them over; passing cases whose pieces are all kept
  /// are held compacted and packed (``CaseList/Builder``) when `compact` is set.
  private var results: CaseList.Builder
  private let compact: Bool

  /// Starts `path` afresh: a new file holding `carried` (the lines an interrupted run finished, for
  /// `--resume`) is written, flushed and renamed over the old one, so the file being resumed is never
  /// truncated or rewritten in place: a kill at any moment leaves either the old file or one with every
  /// carried line. New lines are then appended.
  /// - Parameters:
  ///   - carried: lines carried over from an earlier run, in order.
  ///   - junit: the JUnit report to render cases for, if any.
  ///   - suitesWithManyPrompts: suites whose case names carry the prompt.
  ///   - expected: how many cases the run has (room is made for them once, not by doubling).
  ///   - compact: hold passing cases compacted once their pieces are kept (off when something at the end
  ///     reads every case whole: `afterEach` hooks, a CSV `outputPath`).
  public init(
    path: String, carried: some Sequence<[UInt8]> = [[UInt8]](), junit: JUnitReport? = nil,
    suitesWithManyPrompts: Set<String> = [],
    expected: Int = 0, compact: Bool = false
  ) {
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
    self.init(
      handle: opened, scratch: (path as NSString).deletingLastPathComponent, junit: junit,
      suitesWithManyPrompts: suitesWithManyPrompts, expected: expected, compact: compact,
      failure: opened == nil ? "cannot open \(path) for writing" : nil)
  }

  /// A stream that writes no results.jsonl, only keeps each case's pieces (in a scratch file in
  /// `scratch`) and result: for `evalgate merge`, which writes results.jsonl in report order at the end.
  public init(
    scratch: String, junit: JUnitReport? = nil, suitesWithManyPrompts: Set<String> = [], expected: Int = 0,
    compact: Bool = false
  ) {
    self.init(
      handle: nil, scratch: scratch, junit: junit, suitesWithManyPrompts: suitesWithManyPrompts, expected: expected,
      compact: compact, failure: nil)
  }

  private init(
    handle: FileHandle?, scratch: String, junit: JUnitReport?, suitesWithManyPrompts: Set<String>, expected: Int,
    compact: Bool, failure: String?
  ) {
    self.handle = handle
    self.failure = failure
    spill = try? SpillFile(in: scratch)
    // Without a renderer (libxml2 out of memory) the report renders every case at the end instead.
    self.junit = junit.flatMap { try? JUnitCaseRenderer($0) }
    self.suitesWithManyPrompts = suitesWithManyPrompts
    self.compact = compact
    results = CaseList.Builder(expected: expected)
    entries.reserveCapacity(expected)
  }

  /// Keeps a case an earlier run finished (`--resume`: its `line` is among the carried ones, already in
  /// the file) for the reports, as ``append(_:)`` and ``collect(_:)`` keep a case of this run.
  public func carry(_ result: CaseResult, line: [UInt8]) {
    keepPieces(result, line: line)
    collect(result)
  }

  /// Writes `result`'s line to results.jsonl and keeps its rendered pieces.
  public func append(_ result: CaseResult) {
    var line: [UInt8]?
    do {
      line = try JSONReport.line(result)
      try line.map { try handle?.write(contentsOf: $0) }
    } catch {
      failure = "cannot write results.jsonl: \(error.localizedDescription)"
    }
    keepPieces(result, line: line)
  }

  /// Keeps `result`'s results.json line, JUnit test case and report.html row in the scratch file, one
  /// after another in one write (three writes a case were 2.7 % of a large run's CPU).
  private func keepPieces(_ result: CaseResult, line: [UInt8]?) {
    var entry = CaseFragments.Entry(offset: spillEnd)
    var pieces: [UInt8] = []
    if let line {
      pieces += line
      entry.json = Int32(clamping: line.count)
    }
    if let junit, !junitFailed {
      do {
        let fragment = try junit.fragment(result, manyPrompts: suitesWithManyPrompts.contains(result.suite))
        pieces += fragment.bytes
        entry.junit = Int32(clamping: fragment.bytes.count)
      } catch {
        junitFailed = true  // the writer may be mid-element: the report renders the remaining cases itself
      }
    }
    let row = HTMLReport.caseRow(result).utf8
    pieces += row
    entry.html = Int32(clamping: row.count)
    // Kept whole or not at all: a piece that is not on disk is rendered by the report itself.
    guard keep(pieces) >= 0 else {
      complete.remove(result.id)
      return
    }
    entries.set(entry, for: result.id)
    if entry.isComplete { complete.insert(result.id) } else { complete.remove(result.id) }
  }

  /// Keeps a case's result for the reports (after ``append(_:)`` for a case that ran to its end): compacted
  /// when it passed and its results.json line, JUnit test case and report.html row are all kept.
  public func collect(_ result: CaseResult) {
    let kept = complete.remove(result.id) != nil
    results.append(result, compact: compact && kept)
  }

  /// The results kept so far, handed over once (the stream lets go of them).
  public func takeResults() -> CaseList.Builder {
    defer { results = CaseList.Builder() }
    return results
  }

  /// Puts `bytes` at the end of the scratch file and returns their length; −1 (the report renders the case
  /// itself) when that fails, the end unmoved, so a case's pieces stay one after another.
  private func keep(_ bytes: [UInt8]) -> Int32 {
    guard let spill, let length = Int32(exactly: bytes.count), (try? spill.write(bytes, at: spillEnd)) != nil else {
      return -1
    }
    spillEnd += Int64(length)
    return length
  }

  /// The pieces kept so far, to read back while the reports are assembled.
  public var fragments: CaseFragments {
    entries.sort()
    return CaseFragments(
      spill: spill, entries: entries, suitesWithManyPrompts: suitesWithManyPrompts, compacted: compact)
  }

  /// Flushes results.jsonl to disk and closes it.
  public func close() {
    try? handle?.synchronize()
    try? handle?.close()
  }
}
