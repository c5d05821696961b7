import EvalCore
import Foundation

extension ResumeLog {
  /// Hands every case the earlier run finished to `stream` (into the reports as this run's cases go, its line
  /// already in results.jsonl), and tells each ordered group (`storeOutputAs`, `_conversation`) in `ordered`
  /// the answers its finished cases gave, so the cases after them are sent what they would have been.
  /// Returns how many samples were carried.
  public func carry(into stream: ResultsStream, ordered: [CaseID: EvalCase]) async -> Int {
    var samples = 0
    let decoder = JSONDecoder()
    for line in usableLines {
      guard let done = try? decoder.decode(CaseResult.self, from: Data(line)) else { continue }
      if let sequence = ordered[done.id]?.sequence,
        let output = done.attempts.last(where: { $0.output != nil })?.output
      {
        sequence.record(output: output, messages: done.messages, caseID: done.id)
      }
      samples += done.repeatCount
      await stream.carry(done, line: line)
    }
    return samples
  }
}
