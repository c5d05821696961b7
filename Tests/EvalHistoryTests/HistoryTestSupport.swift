import EvalCore
import Foundation

/// Run records and scratch folders for the store tests.
enum HistoryTestSupport {
  static func scratch() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-history-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
  }

  /// An unsealed record of `suite` with `count` cases, case i passing when `pass(i)`.
  static func record(
    _ id: String, suite: String = "s", cases count: Int = 20, at seconds: Double = 0,
    pass: (Int) -> Bool = { _ in true }
  ) -> RunRecord {
    let start = Date(timeIntervalSince1970: 1_790_000_000 + seconds)
    return RunRecord(
      id: id, kind: .run, startedAt: start, finishedAt: start.addingTimeInterval(3), suites: [suite],
      summary: RunSummary([CaseResult]()), gate: .passed, passRate: 1,
      cases: (0..<count).map { i in
        RunRecord.CaseOutcome(
          id: String(format: "%016x", i), suite: suite, outcome: pass(i) ? .passed : .failed, score: pass(i) ? 1 : 0)
      },
      audit: AuditRecord(recordedAt: start, toolVersion: "test"))
  }
}
