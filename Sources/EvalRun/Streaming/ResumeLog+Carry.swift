import EvalCore
import Foundation

extension ResumeLog {
  /// Hands every case the earlier run finished to `stream` (into the reports as this run's cases go, its line
  /// already in results.jsonl), and tells each ordered group (`storeOutputAs`, `_conversation`) in `ordered`
  /// the answers its finished cases gave, so the cases after them are sent what they would have been.
  /// Returns how many samples were carried.
  public func carry(into stream: ResultsStream, ordered: [CaseID: EvalCase]) async -> Int {
    var samples = 0
    var block: [[UInt8]] = []
    func take() async {
      for (line, done) in zip(block, ResumeLog.decode(block)) {
        guard let done else { continue }
        if let sequence = ordered[done.id]?.sequence,
          let output = done.attempts.last(where: { $0.output != nil })?.output
        {
          sequence.record(output: output, messages: done.messages, caseID: done.id)
        }
        samples += done.repeatCount
        await stream.carry(done, line: line)
      }
      block.removeAll(keepingCapacity: true)
    }
    // Decoded a block at a time on every core (``ResumeLog/decode(_:)``), carried one by one in file order.
    for line in usableLines {
      block.append(line)
      if block.count == ResumeLog.block { await take() }
    }
    await take()
    return samples
  }
}
