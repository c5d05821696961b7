import EvalCore
import Foundation

/// Hand-built run records for the history tests.
enum HistoryFixtures {
  /// A record of `suite` whose case `i` passes when `pass(i)` (nil: errored), scored 1 or 0.5.
  static func record(
    _ n: Int, suite: String = "s", cases count: Int, at seconds: Double = 0, pass: (Int) -> Bool?
  ) -> RunRecord {
    let cases = (0..<count).map { i -> RunRecord.CaseOutcome in
      let p = pass(i)
      return RunRecord.CaseOutcome(
        id: String(format: "%016x", i), suite: suite, outcome: p == nil ? .errored : p == true ? .passed : .failed,
        score: p.map { $0 ? 1 : 0.5 }, scores: p.map { ["accuracy": $0 ? 0.9 : 0.4] }, latencyMs: 100)
    }
    let start = Date(timeIntervalSince1970: 1_790_000_000 + seconds + Double(n) * 3600)
    return RunRecord(
      id: "run-\(n)", kind: .run, startedAt: start, finishedAt: start.addingTimeInterval(12.5), suites: [suite],
      summary: RunSummary([CaseResult]()), gate: .passed, passRate: 1, cases: cases,
      audit: AuditRecord(
        actor: "ci-bot", recordedAt: start, gitCommit: "abc123", gitDirty: false, branch: "main",
        toolVersion: "0.1.0", configSHA256: String(repeating: "0", count: 64),
        suiteSHA256: ["suites/a.yaml": String(repeating: "1", count: 64)], providers: ["p": ["gpt-x"]]))
  }

  /// A sealed chain of `count` records.
  static func chain(_ count: Int) throws -> [RunRecord] {
    var previous = ""
    return try (0..<count).map { n in
      let sealed = try AuditChain.seal(record(n, cases: 5) { $0 != n % 5 }, after: previous)
      previous = sealed.audit.hash
      return sealed
    }
  }
}
