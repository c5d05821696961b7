import EvalCore
import EvalReports
import Foundation

/// Appends one line per finished case to `results.jsonl` as the run goes, so a crash loses nothing
/// that finished.
actor ResultsStream {
  private let handle: FileHandle?
  private(set) var failure: String?
  /// Each case's encoded line, reused for `results.json` so nothing is encoded twice.
  private(set) var encoded: [CaseID: [UInt8]] = [:]

  init(path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    handle = FileHandle(forWritingAtPath: path)
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
  }

  func close() {
    try? handle?.synchronize()
    try? handle?.close()
  }
}
