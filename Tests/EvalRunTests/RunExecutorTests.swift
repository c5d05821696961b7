import EvalCore
import EvalReports
import EvalRun
import EvalTestSupport
import Foundation
import Synchronization
import Testing

/// A whole run in process: cases through the runner to results.jsonl and the kept results, a listener, and
/// the ticker and the interrupt's grace period on a clock the test moves.
@Suite(.offThePool) struct RunExecutorTests {
  /// A number tasks share.
  final class Counter: Sendable {
    private let atomic = Atomic<Int>(0)
    var value: Int { atomic.load(ordering: .relaxed) }
    func add() { atomic.add(1, ordering: .relaxed) }
  }

  /// Answers "ok" at once, except for the cases it is told to hold: those wait until cancelled.
  struct Provider: EvalCore.Provider {
    let label = "echo"
    var hold: Set<String> = []
    let holding = Counter()

    func complete(_ request: CompletionRequest) async throws -> Completion {
      try Task.checkCancellation()  // as an HTTP call does
      if hold.contains(request.caseID) {
        holding.add()
        try await Task.sleep(for: .seconds(3600))
      }
      return Completion(text: "ok", model: "m")
    }
  }

  /// What the listener heard.
  actor Heard: RunListener {
    var finished: [CaseID] = []
    var times: Set<Date> = []
    var ticks = 0
    var graces: [Duration] = []

    func caseFinished(_ result: CaseResult, at time: Date) {
      finished.append(result.id)
      times.insert(time)
    }
    func tick() { ticks += 1 }
    func interrupted(grace: Duration) { graces.append(grace) }
  }

  static func cases(_ n: Int) -> [EvalCase] {
    (0..<n).map { i in
      EvalCase(
        id: CaseID(number: UInt64(i)), suiteID: "s", location: SourceLocation(file: "s.yaml", line: i + 1, column: 3),
        title: "case \(i)", promptLabel: "p", providerLabel: "echo", providerKey: "echo", vars: [:],
        messages: [ChatMessage(role: "user", content: "q\(i)")], plan: ScoringPlan(items: [], threshold: nil))
    }
  }

  static func folder() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("executor-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func everyCaseReachesTheFileTheResultsAndTheListenerOnce() async throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cases = Self.cases(300)
    let reporters = RunReporters.standard(outputDir: dir, junit: JUnitReport(profile: .rich, hostname: "h"))
    let stream = ResultsStream(reporters: reporters, scratch: dir, expected: cases.count, compact: true)
    let heard = Heard()
    let clock = ManualClock()
    let stamp = Date(timeIntervalSince1970: 1_800_000_000)
    let executor = RunExecutor(runner: Runner(concurrency: 8, timeout: .seconds(60)), clock: clock, now: { stamp })
    var builder = await executor.run(
      CasePlan(list: cases), providers: ["echo": Provider()], into: stream, listener: heard, interrupted: { false })
    let finisher = await stream.finisher()

    // The run ended without the clock moving: the ticker was cancelled, not waited out.
    #expect(clock.now.offset == .zero)
    let results = builder.take()
    #expect(results.count == 300)
    #expect(Set(results.map(\.id)) == Set(cases.map(\.id)))
    #expect(results.allSatisfy { (c: CaseResult) in c.outcome == .passed })
    #expect(results.isPacked)
    let lines = try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 300)
    let ids = try lines.map { try JSONDecoder().decode(CaseResult.self, from: Data($0.utf8)).id }
    #expect(Set(ids) == Set(cases.map(\.id)))
    #expect(await heard.finished.count == 300)
    #expect(await heard.times == [stamp])
    // Each kept piece reads back: the kept line is the file's line, the pieces JUnit's and report.html's.
    let fragments = finisher.fragments
    let first = try #require(results.first)
    #expect(
      fragments.line(first.id).map { String(decoding: $0, as: UTF8.self) }.map {
        lines.contains(Substring($0.dropLast()))
      } == true)
    #expect(fragments.piece(0, of: first.id).map { String(decoding: $0, as: UTF8.self) }?.contains("<testcase") == true)
    #expect(fragments.piece(1, of: first.id).map { String(decoding: $0, as: UTF8.self) }?.contains("case ") == true)
  }

  @Test func anInterruptStopsDispatchGivesCallsTheGraceOnTheClockThenCancelsThem() async throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cases = Self.cases(10)
    // Cases 3 to 6 hang; with 4 calls at a time they end up holding every slot.
    let provider = Provider(hold: Set(cases[3...6].map(\.id.rawValue)))
    let stream = ResultsStream(
      reporters: [ResultsLinesReporter(path: dir + "/results.jsonl")], scratch: dir, expected: cases.count)
    let heard = Heard()
    let clock = ManualClock()
    let stop = Counter()
    let done = Counter()
    let executor = RunExecutor(runner: Runner(concurrency: 4, timeout: .seconds(60)), clock: clock, grace: .seconds(5))
    async let ran = {
      let builder = await executor.run(
        CasePlan(list: cases), providers: ["echo": provider], into: stream, listener: heard,
        interrupted: { stop.value > 0 })
      done.add()
      return builder
    }()

    // Every slot is held, and the ticker sleeps (generous real-time limits: the whole suite shares 2 cores).
    let deadline = ContinuousClock.now + .seconds(180)
    while provider.holding.value < 4, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(1))
    }
    #expect(provider.holding.value == 4)
    #expect(await clock.waitForSleepers(1, limit: .seconds(180)))
    clock.advance(by: .milliseconds(250))
    #expect(await clock.waitForSleepers(1, limit: .seconds(180)))  // the next tick
    #expect(await heard.ticks == 1)

    // Interrupted: the next tick says so and starts the grace period, which only the clock ends.
    stop.add()
    clock.advance(by: .milliseconds(250))
    #expect(await clock.waitForSleepers(1, limit: .seconds(180)))
    #expect(await heard.graces == [.seconds(5)])
    clock.advance(by: .seconds(4))
    try await Task.sleep(for: .milliseconds(50))
    #expect(done.value == 0)
    clock.advance(by: .seconds(1))

    var builder = await ran
    let results = builder.take()
    #expect(results.count == 10)
    let byID = Dictionary(uniqueKeysWithValues: results.map { ($0.id, $0.outcome) })
    let reasons = Dictionary(uniqueKeysWithValues: results.map { ($0.id, $0.skipReason) })
    // Which cases got the four places first is the scheduler's choice (cases 0 to 7 start at once): the held ones
    // were cancelled and the others passed or were never dispatched; every case that did not pass says why.
    let held = cases[3...6].map(\.id)
    let outcomes = "\(cases.map { byID[$0.id].map { "\($0)" } ?? "-" })"
    #expect(held.allSatisfy { byID[$0] == .skipped }, "\(outcomes)")
    #expect(cases.allSatisfy { byID[$0.id] == .passed || byID[$0.id] == .skipped }, "\(outcomes)")
    #expect(cases.allSatisfy { byID[$0.id] == .passed || reasons[$0.id] != nil }, "\(outcomes)")
    // results.jsonl holds the cases that ran, cancelled ones included (a case waiting for a place when the
    // grace ran out may be among them); the ones never dispatched are not there (a resumed run runs them).
    let lines = try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8).split(separator: "\n")
    let written = try lines.map { try JSONDecoder().decode(CaseResult.self, from: Data($0.utf8)).id }
    #expect(Set(written).isSuperset(of: held + cases.filter { byID[$0.id] == .passed }.map(\.id)))
    #expect(written.count == Set(written).count)
  }
}
