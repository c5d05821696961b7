import EvalCore
import EvalRun
import EvalTestSupport
import Foundation
import Synchronization
import Testing

/// `evalgate run` in process, start to end: a suite on disk through ``GatedRun`` against an in-process
/// model, on a test clock, with the console, the watcher and the history kept.
struct GatedRunTests {
  typealias Support = GatedRunSupport

  static let stamp = Date(timeIntervalSince1970: 1_800_000_000)

  /// Lines of the file at `path` (ended by LF or CRLF).
  static func lines(_ path: String) throws -> [Substring] {
    try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline)
  }

  @Test func aWholeRunWritesItsReportsRecordsItselfAndPasses() async throws {
    let (plan, folder) = try Support.project(cases: 6)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let model = Support.Model()
    let (console, watcher, history) = (Support.Transcript(), Support.Watcher(), Support.Ledger())
    var run = Support.run(plan, model: model, console: console, watcher: watcher, history: history)
    let clock = ManualClock()
    run.clock = clock
    run.now = { Self.stamp }
    let ended = Mutex<[EvalRun.ExitStatus]>([])
    run.ended = { outcome in ended.withLock { $0.append(outcome.status) } }
    let outcome = await run.run()

    #expect(outcome.status == .passed)
    // Told once, at the end, with the outcome (where the executable exits).
    #expect(ended.withLock { $0 } == [.passed])
    let out = folder + "/out"
    #expect(outcome.outputDir == out)
    for name in ["results.json", "results.jsonl", "junit.xml", "report.html", "summary.md"] {
      #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name)")
    }
    #expect(try Self.lines(out + "/results.jsonl").count == 6)
    let report = try #require(outcome.report)
    #expect(report.summary.total == 6 && report.summary.passed == 6)
    #expect(report.startedAt == Self.stamp && report.tool.version == "0.0.0-test")
    #expect(report.decision?.status == .passed)
    #expect(model.calls == 6)
    // The run ended without the test clock moving: nothing waited on it.
    #expect(clock.now.offset == .zero)
    let (started, finished, concluded) = await (watcher.started, watcher.finished, watcher.concluded)
    #expect(started.map(\.cases) == [6] && started.map(\.samples) == [6])
    #expect(Set(finished).count == 6 && concluded == 1)
    #expect(console.summaries == [out] && console.verdicts.isEmpty)
    let recorded = await history.recorded
    #expect(recorded.map(\.exitCode) == [0] && recorded.map(\.resultsFile) == [out + "/results.json"])
    // results.json was hashed as it was written: the digest handed over is the file's.
    let digest = AuditChain.sha256(try Data(contentsOf: URL(fileURLWithPath: out + "/results.json")))
    #expect(await history.digests == [digest])
    // The provider's connections were opened ahead once, before any call: as many as the run has in flight.
    #expect(model.warmUps.connections == [1] && model.warmUps.callsBefore == [0])
    // The record was made ready once, and what was made ready is what was recorded.
    #expect(await history.prepared == [6] && recorded.map(\.pastRuns) == [1_000])
  }

  @Test func aFailingCaseFailsTheGateAndIsRecordedSo() async throws {
    let (plan, folder) = try Support.project(cases: 4)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let history = Support.Ledger()
    let outcome = await Support.run(plan, model: Support.Model(wrong: ["w2"]), history: history).run()

    #expect(outcome.status == .gateFailed)
    #expect(outcome.report?.summary.failed == 1 && outcome.report?.decision?.status == .failed)
    let recorded = await history.recorded
    #expect(recorded.map(\.exitCode) == [1])
    let json = try String(contentsOfFile: folder + "/out/results.json", encoding: .utf8)
    #expect(json.contains("\"failed\""))
  }

  @Test func aConfigErrorWritesNothing() async throws {
    var (plan, folder) = try Support.project(cases: 2)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    plan.paths = [folder + "/missing.yaml"]
    let (console, history) = (Support.Transcript(), Support.Ledger())
    let model = Support.Model()
    let outcome = await Support.run(plan, model: model, console: console, history: history).run()

    #expect(outcome.status == .usage && outcome.report == nil)
    #expect(console.lines.count == 1 && console.lines[0].contains("missing.yaml"))
    #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
    #expect(model.calls == 0)
    let recorded = await history.recorded
    #expect(recorded.isEmpty)
  }

  @Test func anInterruptedRunIsResumedCallingOnlyTheCasesLeft() async throws {
    var (plan, folder) = try Support.project(cases: 5)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // One call at a time; Ctrl-C once two calls were answered: the third case is not dispatched.
    let first = Support.Model()
    var run = Support.run(plan, model: first, interrupted: { first.calls >= 2 })
    run.clock = ManualClock()
    let stopped = await run.run()
    #expect(stopped.status == .interrupted)
    #expect(stopped.report?.interrupted == true && first.calls == 2)
    let log = folder + "/out/results.jsonl"

    plan.resume = log
    let second = Support.Model()
    let (console, watcher) = (Support.Transcript(), Support.Watcher())
    run = Support.run(plan, model: second, console: console, watcher: watcher)
    run.clock = ManualClock()
    let resumed = await run.run()

    #expect(resumed.status == .passed)
    #expect(second.calls == 3)
    let started = await watcher.started
    #expect(started.map(\.cases) == [3])
    #expect(console.lines.contains("resuming: 2 of 5 cases already finished in \(log)"))
    let report = try #require(resumed.report)
    #expect(report.summary.total == 5 && report.summary.passed == 5)
    #expect(try Self.lines(log).count == 5)
  }

  @Test func aBaselineDecidesTheRun() async throws {
    var (plan, folder) = try Support.project(cases: 12)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // The baseline: a run where every case passed, its results.json kept.
    let passed = await Support.run(plan, model: Support.Model()).run()
    #expect(passed.status == .passed)
    let baseline = folder + "/baseline.json"
    try FileManager.default.copyItem(atPath: folder + "/out/results.json", toPath: baseline)

    // The candidate gets every word wrong: the comparison decides, and rolls back.
    plan.noBaseline = false
    plan.baseline = baseline
    let console = Support.Transcript()
    let words = Set((0..<12).map { "w\($0)" })
    let regressed = await Support.run(plan, model: Support.Model(wrong: words), console: console).run()
    let report = try #require(regressed.report)
    #expect(report.verdict != nil)
    #expect(report.decision?.status == .rollback)
    #expect(regressed.status == .rollback)
    #expect(console.verdicts == ["against \(baseline)"])

    // The same answers again: the verdict does not fail the run.
    let same = await Support.run(plan, model: Support.Model(), console: Support.Transcript()).run()
    #expect(same.report?.verdict != nil)
    #expect(same.status == .passed || same.status == .hold)
    #expect(same.report?.decision?.status != .rollback)
  }

  @Test func anUnreadableBaselineIsAUsageErrorAfterTheReports() async throws {
    var (plan, folder) = try Support.project(cases: 2)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    plan.noBaseline = false
    plan.baseline = folder + "/nowhere.json"
    let (console, history) = (Support.Transcript(), Support.Ledger())
    let outcome = await Support.run(plan, model: Support.Model(), console: console, history: history).run()

    #expect(outcome.status == .usage)
    #expect(console.lines.last == "error: no such file or directory: '\(folder)/nowhere.json'")
    // The reports were written and summarized; the run is not recorded.
    #expect(FileManager.default.fileExists(atPath: folder + "/out/results.json"))
    let recorded = await history.recorded
    #expect(console.summaries.count == 1 && recorded.isEmpty)
  }

  @Test func theSuitesOutputPathsGetCopiesOfTheReports() async throws {
    let copies = FileManager.default.temporaryDirectory.appendingPathComponent("copies-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: copies) }
    let (plan, folder) = try Support.project(
      cases: 3, extra: "outputPath: [\(copies)/run.json, \(copies)/run.csv]\n")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let outcome = await Support.run(plan, model: Support.Model(wrong: ["w1"])).run()

    #expect(outcome.status == .gateFailed)
    let copied = try #require(FileManager.default.contents(atPath: copies + "/run.json"))
    #expect(copied == FileManager.default.contents(atPath: folder + "/out/results.json"))
    // The CSV is rendered: a header and one row per case.
    let csv = try Self.lines(copies + "/run.csv")
    #expect(csv.count == 4)
    #expect(csv.dropFirst().contains { $0.contains("case-1") && $0.contains("no idea") })
  }
}
