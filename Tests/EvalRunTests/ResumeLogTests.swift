import EvalCore
import EvalReports
import EvalRun
import Foundation
import Synchronization
import Testing

/// `--resume` reads an interrupted run's results.jsonl a line at a time: which lines it carries, and that it
/// hands them back byte for byte, even after the file is replaced.
struct ResumeLogTests {
  static func line(_ id: UInt64, _ outcome: Outcome, title: String = "t") throws -> [UInt8] {
    var c = CaseResult(
      case: RunExecutorTests.cases(1)[0],
      attempts: outcome == .skipped ? [] : [AttemptResult(index: 0, outcome: outcome, output: "o", latencyMs: 1)])
    c.id = CaseID(number: id)
    c.title = title
    return try JSONReport.line(c)
  }

  @Test func carriesTheFirstFinishedLineOfEachWantedCaseAndNothingCutOff() throws {
    let dir = try RunExecutorTests.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let long = String(repeating: "ü", count: 600_000)  // 1.2 MB: longer than the 1 MB chunks it is read in
    let lines = [
      try Self.line(1, .passed), try Self.line(2, .skipped), try Self.line(3, .failed, title: long),
      Array("{not json}\n".utf8), try Self.line(1, .failed), try Self.line(4, .errored), try Self.line(9, .passed),
    ]
    let cut = Array(try Self.line(5, .passed).dropLast(10))
    let path = dir + "/results.jsonl"
    try Data((lines.flatMap { $0 } + cut)).write(to: URL(fileURLWithPath: path))

    let log = try ResumeLog(path: path, wanted: { $0 != CaseID(number: 9) })
    #expect(log.finished.count == 3)
    for n: UInt64 in [1, 3, 4] { #expect(log.finished.contains(CaseID(number: n))) }
    for n: UInt64 in [2, 5, 9] { #expect(!log.finished.contains(CaseID(number: n))) }
    // skipped, not JSON, the second of case 1, the unwanted case 9, the line cut off
    #expect(log.ignored == 5)
    // Replaced as a run replaces it: the lines still read back, as they were.
    try FileManager.default.removeItem(atPath: path)
    try Data("new".utf8).write(to: URL(fileURLWithPath: path))
    #expect(Array(log.usableLines) == [lines[0], lines[2], lines[5]])
    #expect(Array(log.usableLines) == [lines[0], lines[2], lines[5]])  // and again
  }

  @Test func aMissingFileIsALocatedError() {
    #expect {
      _ = try ResumeLog(path: "/nonexistent/results.jsonl", wanted: { _ in true })
    } throws: { "\($0)".contains("cannot read '/nonexistent/results.jsonl' to resume from") }
  }

  @Test func carriedCasesReachTheReportersFlaggedAsCarried() async throws {
    let dir = try RunExecutorTests.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let lines = [try Self.line(1, .passed), try Self.line(2, .failed), try Self.line(3, .errored)]
    try Data(lines.flatMap { $0 }).write(to: URL(fileURLWithPath: dir + "/old.jsonl"))
    let log = try ResumeLog(path: dir + "/old.jsonl", wanted: { _ in true })
    let seen = ReporterTests.Recording("seen", keeps: false)
    let stream = ResultsStream(reporters: [seen], scratch: dir)
    #expect(await log.carry(into: stream, ordered: [:]) == 3)
    let heard = seen.seen.withLock { $0 }
    #expect(heard.map(\.id) == [1, 2, 3].map { CaseID(number: $0).rawValue })
    #expect(heard.allSatisfy { $0.carried })
    #expect(await stream.takeResults().count == 3)
  }
}
