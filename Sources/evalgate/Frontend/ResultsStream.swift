import EvalCore
import EvalReports
import Foundation

/// Appends one line per finished case to `results.jsonl` as the run goes, so a crash loses nothing
/// that finished; meanwhile renders each case's JUnit `<testcase>` and report.html row, so the reports
/// at the end only assemble.
actor ResultsStream {
  private let handle: FileHandle?
  private(set) var failure: String?
  /// Each case's encoded line, reused for `results.json` so nothing is encoded twice.
  private(set) var encoded: [CaseID: [UInt8]] = [:]
  /// Each case's `<testcase>`, for ``JUnitReport/render(_:fragments:)``.
  private(set) var junitFragments: [CaseID: JUnitReport.Fragment] = [:]
  /// Each case's row in report.html, for ``HTMLReport/render(_:rows:)``.
  private(set) var htmlRows: [CaseID: String] = [:]
  private let junit: JUnitCaseRenderer?
  private var junitFailed = false
  private let suitesWithManyPrompts: Set<String>

  /// Starts `path` afresh: a new file holding `carried` (the lines an interrupted run finished, for
  /// `--resume`) is written, flushed and renamed over the old one, so the file being resumed is never
  /// truncated or rewritten in place: a kill at any moment leaves either the old file or one with every
  /// carried line. New lines are then appended.
  /// - Parameters:
  ///   - carried: lines carried over from an earlier run, in order.
  ///   - junit: the JUnit report to render cases for, if any.
  ///   - suitesWithManyPrompts: suites whose case names carry the prompt.
  init(path: String, carried: [[UInt8]] = [], junit: JUnitReport? = nil, suitesWithManyPrompts: Set<String> = []) {
    var opened: FileHandle?
    do {
      try AtomicFile.write(to: path, durable: !carried.isEmpty) { fd in
        for line in carried { try line.withUnsafeBytes { try AtomicFile.writeAll(fd, $0) } }
      }
      opened = FileHandle(forWritingAtPath: path)
      _ = try opened?.seekToEnd()
    } catch {
      opened = nil
    }
    handle = opened
    // Without a renderer (libxml2 out of memory) the report renders every case at the end instead.
    self.junit = junit.flatMap { try? JUnitCaseRenderer($0) }
    self.suitesWithManyPrompts = suitesWithManyPrompts
    if handle == nil { failure = "cannot open \(path) for writing" }
  }

  /// Keeps a line carried over from an earlier run (`--resume`, already in the file) for results.json.
  func carryOver(_ line: [UInt8], for id: CaseID) {
    encoded[id] = line
  }

  func append(_ result: CaseResult) {
    do {
      let line = try JSONReport.line(result)
      encoded[result.id] = line
      try handle?.write(contentsOf: line)
    } catch {
      failure = "cannot write results.jsonl: \(error.localizedDescription)"
    }
    if let junit, !junitFailed {
      do {
        junitFragments[result.id] = try junit.fragment(
          result, manyPrompts: suitesWithManyPrompts.contains(result.suite))
      } catch {
        junitFailed = true  // the writer may be mid-element: the report renders the remaining cases itself
      }
    }
    htmlRows[result.id] = HTMLReport.caseRow(result)
  }

  func close() {
    try? handle?.synchronize()
    try? handle?.close()
  }
}
