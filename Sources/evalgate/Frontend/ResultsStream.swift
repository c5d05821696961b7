import EvalCore
import EvalReports
import Foundation

/// Appends one line per finished case to `results.jsonl` as the run goes, so a crash loses nothing
/// that finished.
actor ResultsStream {
  private let handle: FileHandle?
  private(set) var failure: String?

  init(path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    handle = FileHandle(forWritingAtPath: path)
    if handle == nil { failure = "cannot open \(path) for writing" }
  }

  func append(_ result: CaseResult) {
    guard let handle else { return }
    do {
      try handle.write(contentsOf: JSONReport.line(result))
    } catch {
      failure = "cannot write results.jsonl: \(error.localizedDescription)"
    }
  }

  func close() {
    try? handle?.synchronize()
    try? handle?.close()
  }
}
