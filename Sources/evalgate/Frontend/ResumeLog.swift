import EvalCore
import Foundation

/// The cases an earlier, interrupted run already finished, read from its `results.jsonl`, so
/// `evalgate run --resume` calls only what is left. A line cut off by a crash, or one that does not
/// decode, is ignored (that case runs again); skipped cases run again.
struct ResumeLog {
  /// Finished results and their original lines, by case id.
  var finished: [CaseID: (result: CaseResult, line: [UInt8])] = [:]
  /// Lines that could not be used.
  var ignored = 0

  /// Reads `path`.
  /// - Throws: ``Diagnostic`` when the file cannot be read.
  static func read(_ path: String) throws -> ResumeLog {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Diagnostic("cannot read '\(path)' to resume from")
    }
    var log = ResumeLog()
    let decoder = JSONDecoder()
    let bytes = [UInt8](data)
    var start = 0
    while start < bytes.count {
      guard let end = bytes[start...].firstIndex(of: 0x0A) else {
        log.ignored += 1  // the last line, cut off mid-write
        break
      }
      let line = Array(bytes[start...end])
      start = end + 1
      guard let result = try? decoder.decode(CaseResult.self, from: Data(line)), result.outcome != .skipped else {
        log.ignored += 1
        continue
      }
      log.finished[result.id] = (result, line)
    }
    return log
  }
}
