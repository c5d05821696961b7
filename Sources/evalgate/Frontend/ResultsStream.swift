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

  /// - Parameters:
  ///   - junit: the JUnit report to render cases for, if any.
  ///   - suitesWithManyPrompts: suites whose case names carry the prompt.
  init(path: String, junit: JUnitReport? = nil, suitesWithManyPrompts: Set<String> = []) {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    handle = FileHandle(forWritingAtPath: path)
    // Without a renderer (libxml2 out of memory) the report renders every case at the end instead.
    self.junit = junit.flatMap { try? JUnitCaseRenderer($0) }
    self.suitesWithManyPrompts = suitesWithManyPrompts
    if handle == nil { failure = "cannot open \(path) for writing" }
  }

  /// Writes a line carried over from an earlier run (`--resume`) as it was.
  func carryOver(_ line: [UInt8], for id: CaseID) {
    encoded[id] = line
    do { try handle?.write(contentsOf: line) } catch {
      failure = "cannot write results.jsonl: \(error.localizedDescription)"
    }
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
