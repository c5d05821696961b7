import EvalCore
import EvalReports
import EvalStore
import Foundation

extension GatedRun {
  /// The stream every case's result goes through to the reports, with the cases a resumed run finished
  /// carried into it (and left out of the cases to call).
  func openStream(_ setup: inout Setup, outputDir: String) async -> ResultsStream {
    let prepared = setup.prepared
    // The finished lines are copied into the new results.jsonl (on disk before it replaces the old one).
    // report.html leaves a large run's passing rows to the end (`expectedCases`), where it reads the sampled ones
    // back as scattered reads (``CaseList/sample(at:)``).
    let reporters =
      RunReporters.standard(
        outputDir: outputDir, carried: setup.resumed.map { AnySequence($0.usableLines) } ?? AnySequence([]),
        junit: JUnitReport(profile: prepared.junitProfile, hostname: hostname),
        suitesWithManyPrompts: Set(prepared.suites.filter { $0.prompts.count > 1 }.map(\.id)),
        expectedCases: prepared.survey.cases)
      + self.reporters
    let stream = ResultsStream(
      reporters: reporters, scratch: outputDir, expected: prepared.survey.cases,
      compact: Self.compactsPassingCases(prepared.suites))
    // The finished cases go into the reports one at a time, as this run's do; the run makes the others.
    if let resumed = setup.resumed, !resumed.lines.isEmpty {
      setup.carriedSamples = await resumed.carry(into: stream, ordered: setup.ordered)
      let finished = resumed.finished
      setup.cases = setup.cases.keeping { !finished.contains($0.id) }
      console.say("resuming: \(finished.count) of \(prepared.survey.cases) cases already finished in \(resumed.path)")
      console.phase("carried \(finished.count) finished cases")
      setup.carriedCases = finished.count
    }
    // The log's index of every finished line (32 bytes a case: 32 MB at 10^6) is not kept through the run.
    setup.resumed = nil
    setup.ordered = [:]
    return stream
  }

  /// The runner the plan and the project ask for.
  func makeRunner(_ setup: Setup) -> Runner {
    let prepared = setup.prepared
    var runner = Runner(concurrency: prepared.concurrency, timeout: prepared.timeout, retry: prepared.retry)
    runner.prices = prepared.prices
    runner.budget = Budget(maxCost: plan.maxCost, maxTokens: plan.maxTokens)
    runner.throttles = prepared.throttles
    runner.redactor = setup.redactor
    runner.code = setup.workers
    runner.sql = SQLiteSyntaxChecker()
    return runner
  }

  /// Calls the cases left (``RunExecutor``) while the watcher watches and an interrupt is looked for: stop
  /// dispatching, give calls in flight ``grace``, then cancel them; `dispatched` is called once the first calls
  /// are under way. Returns every case's result, in the order the cases ended.
  func call(
    _ setup: Setup, runner: Runner, stream: ResultsStream, startedAt: Date,
    dispatched: @escaping @Sendable () -> Void = {}
  ) async -> CaseList.Builder {
    let prepared = setup.prepared
    let (cases, samples) =
      setup.cases.list.map { ($0.count, $0.reduce(0) { $0 + $1.repeatCount }) }
      ?? (prepared.survey.cases - setup.carriedCases, prepared.survey.samples - setup.carriedSamples)
    console.phase("calls start")
    let watch = await watcher.callsStart(
      cases: cases, samples: samples, startedAt: startedAt, providers: setup.providers)
    let collected = await clock.execute(
      runner, grace: grace, now: now, setup.cases, providers: watch.providers, stream: stream,
      listener: watch.listener, interrupted: interrupted, dispatched: dispatched)
    console.phase("run finished")
    return collected
  }

  /// promptfoo's `outputPath`: the run's results copied where the suites ask, in the format of the extension.
  /// Returns false once one cannot be written (said).
  func copyOutputPaths(_ report: RunReport, suites: [Suite], outputDir: String) -> Bool {
    for path in Set(suites.flatMap(\.outputPaths)).sorted() {
      do {
        try Self.writeOutputPath(path, report: report, outputDir: outputDir)
      } catch {
        console.say("error: cannot write outputPath '\(path)': \(error)")
        return false
      }
    }
    return true
  }
}

extension Clock where Duration == Swift.Duration {
  /// Runs `cases` on a ``RunExecutor`` paced by this clock (a clock held as `any Clock` is opened here).
  fileprivate func execute(
    _ runner: Runner, grace: Duration, now: @escaping @Sendable () -> Date, _ cases: CasePlan,
    providers: [String: any Provider], stream: ResultsStream, listener: some RunListener,
    interrupted: @escaping @Sendable () -> Bool, dispatched: @escaping @Sendable () -> Void
  ) async -> CaseList.Builder {
    await RunExecutor(runner: runner, clock: self, grace: grace, now: now).run(
      cases, providers: providers, into: stream, listener: listener, interrupted: interrupted, dispatched: dispatched)
  }
}
