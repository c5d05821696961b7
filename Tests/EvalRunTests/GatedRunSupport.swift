import EvalCore
import EvalProviders
import EvalRun
import Foundation
import Synchronization

/// What a whole run in process is made of: a project on disk, an in-process model behind the suite's
/// provider, and a console, a watcher and a history that keep what they hear.
enum GatedRunSupport {
  /// A project folder: evalgate.yaml and a suite of `cases` cases, each asking for its word (`w0`, `w1`, …)
  /// and passing when the answer contains it. The plan names both, writes into the folder's `out`, and
  /// compares with no baseline (the package's own `baselines/` is in the working directory).
  /// `extra` is added to the suite's top level (`outputPath: …`).
  static func project(cases: Int = 6, extra: String = "") throws -> (plan: RunPlan, folder: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gated-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let tests = (0..<cases).map {
      "  - id: case-\($0)\n    vars: { word: w\($0) }\n    assert:\n"
        + "      - { type: contains, value: \"w\($0)\" }\n"
    }
    let suite =
      "description: gated\nprompts:\n  - \"Say {{ word }}\"\nproviders:\n  - id: echo\n    label: model\n"
      + extra + "tests:\n" + tests.joined()
    try "concurrency: 1\n".write(toFile: dir + "/evalgate.yaml", atomically: true, encoding: .utf8)
    try suite.write(toFile: dir + "/gated.yaml", atomically: true, encoding: .utf8)
    var plan = RunPlan()
    plan.config = dir + "/evalgate.yaml"
    plan.paths = [dir + "/gated.yaml"]
    plan.outputDir = dir + "/out"
    plan.noBaseline = true
    return (plan, dir)
  }

  /// An in-process model: says each prompt's word back (`the word is w3`), except the words it is told to
  /// get wrong; counts its calls.
  final class Model: Sendable {
    private let state = Mutex((calls: 0, wrong: Set<String>(), warmUps: [Int](), callsAtWarmUp: [Int]()))

    init(wrong: Set<String> = []) { state.withLock { $0.wrong = wrong } }

    /// Calls answered so far.
    var calls: Int { state.withLock { $0.calls } }

    /// The connections each warm-up asked for, and how many calls had been answered by then.
    var warmUps: (connections: [Int], callsBefore: [Int]) { state.withLock { ($0.warmUps, $0.callsAtWarmUp) } }

    func warmUp(_ connections: Int) {
      state.withLock {
        $0.warmUps.append(connections)
        $0.callsAtWarmUp.append($0.calls)
      }
    }

    func answer(_ request: CompletionRequest) -> String {
      let word = request.vars["word"]?.stringValue ?? ""
      let wrong = state.withLock { s in
        s.calls += 1
        return s.wrong.contains(word)
      }
      return wrong ? "no idea" : "the word is \(word)"
    }
  }

  /// The suite's provider, answered by a ``Model``.
  struct Fake: Provider {
    let label: String
    let model: Model

    func complete(_ request: CompletionRequest) async throws -> Completion {
      Completion(text: model.answer(request), model: "fake-1")
    }

    func warmUp(connections: Int) { model.warmUp(connections) }
  }

  /// Keeps what the run said.
  final class Transcript: RunConsole {
    private let state = Mutex((lines: [String](), summaries: [String](), verdicts: [String]()))

    var lines: [String] { state.withLock { $0.lines } }
    /// The output dir of each summary shown.
    var summaries: [String] { state.withLock { $0.summaries } }
    /// The label of each verdict published.
    var verdicts: [String] { state.withLock { $0.verdicts } }

    func say(_ line: String) { state.withLock { $0.lines.append(line) } }
    func summarize(_ report: RunReport, outputDir: String) { state.withLock { $0.summaries.append(outputDir) } }
    func publish(_ comparison: Comparison, decision: RunDecision, label: String, outputDir: String) throws {
      state.withLock { $0.verdicts.append(label) }
    }
  }

  /// Keeps what it watched: the cases and samples each time calls started, the reports concluded.
  actor Watcher: RunWatcher {
    var started: [(cases: Int, samples: Int)] = []
    var finished: [CaseID] = []
    var concluded = 0

    /// Hears each case end.
    struct Listener: RunListener {
      let watcher: Watcher
      func caseFinished(_ result: CaseResult, at time: Date) async { await watcher.heard(result.id) }
    }

    func heard(_ id: CaseID) { finished.append(id) }

    func callsStart(
      cases: Int, samples: Int, startedAt: Date, providers: [String: any Provider]
    ) -> (listener: any RunListener, providers: [String: any Provider]) {
      started.append((cases, samples))
      return (Listener(watcher: self), providers)
    }

    func concluded(_ report: RunReport) { concluded += 1 }
  }

  /// A history holding how many runs it recorded; what each was recorded with (what ``prepare(_:past:)`` made
  /// of its past: 1,000 more).
  actor Ledger: RunHistory {
    var recorded: [(exitCode: Int32, resultsFile: String, pastRuns: Int)] = []
    /// results.json's SHA-256 as each run handed it over.
    var digests: [String?] = []
    /// The case count of each report prepared.
    var prepared: [Int] = []

    func past(suites: [String], cases: Int) -> Int { recorded.count }
    func prepare(_ report: RunReport, past: Int) -> Int {
      prepared.append(report.summary.total)
      return past + 1_000
    }
    nonisolated func trends(with report: RunReport, past: Int) -> [SuiteTrend] { [] }
    func record(_ report: RunReport, exitCode: Int32, resultsFile: String, resultsSHA256: String?, past: Int) {
      recorded.append((exitCode, resultsFile, past))
      digests.append(resultsSHA256)
    }
  }

  /// A run of `plan` against `model`, heard by the others; `interrupted` polled as Ctrl-C would be.
  static func run(
    _ plan: RunPlan, model: Model, console: Transcript = Transcript(), watcher: Watcher = Watcher(),
    history: Ledger = Ledger(), interrupted: @escaping @Sendable () -> Bool = { false }
  ) -> GatedRun {
    var run = GatedRun(
      plan: plan, environment: [:], version: "0.0.0-test", hostname: "test-host", console: console,
      watcher: watcher, history: history, interrupted: interrupted)
    run.makeProvider = { spec, _ in Fake(label: spec.label, model: model) }
    return run
  }
}
