import EvalCore
import EvalLoading
import EvalProviders
import EvalReports
import EvalRun
import EvalStore
import EvalTelemetry
import EvalWorkers
import Foundation

#if os(Linux)
  import CMalloc
#endif

/// Wires one `evalgate run`: load → expand → build providers → run with progress → write reports →
/// exit status. Nothing is written before every suite loaded cleanly.
struct RunSession {
  typealias Prepared = RunPlanner.Prepared

  let options: RunCommand
  /// The run's flags, resolved.
  let runPlan: RunPlan
  let environment = ProcessInfo.processInfo.environment

  func run() async -> ExitStatus {
    let startedAt = Date()
    let prepared: Prepared
    var plan: CasePlan
    var resumed: ResumeLog?
    // The ordered cases (`storeOutputAs`, `_conversation`), by id, when resuming: a finished one hands its
    // answer on to the cases after it.
    var ordered: [CaseID: EvalCase] = [:]
    do {
      (prepared, plan) = try RunPlanner(plan: runPlan, environment: environment, phase: PhaseTimer.mark).prepare()
      PhaseTimer.mark("loaded and expanded \(prepared.survey.cases) cases")
      // Read before the output dir's results.jsonl is replaced: it is often the same file (and kept open).
      if let path = options.resume {
        var planned = CaseIDSet()
        for c in plan {
          planned.insert(c.id)
          if c.sequence != nil { ordered[c.id] = c }
        }
        resumed = try ResumeLog(path: path, wanted: planned.contains)
        PhaseTimer.mark("read \(resumed?.finished.count ?? 0) finished cases to resume")
      }
    } catch {
      RunSession.report(error)
      return .usage
    }
    // Code assertions and transforms run in node/python3 workers; a missing interpreter is a located error
    // before anything is called.
    let workers: CodeWorkers?
    do {
      workers = try CodeWorkerSetup.workers(for: prepared, environment: environment)
    } catch {
      RunSession.report(error)
      return .usage
    }
    // Vars computed by code and prompt functions, before any call (and before the cache is read).
    if prepared.survey.hasDeferred {
      do {
        plan.materialize()
        plan.replaceList(
          try await DeferredPrompts.resolve(plan.list ?? [], code: workers, environment: environment))
      } catch {
        await workers?.shutdown()
        RunSession.report(error)
        return .usage
      }
    }
    let redactor = ProviderFactory.redactor(
      for: (prepared.suites + RunPlanner.endpointSuites(prepared.fixtures)).flatMap { $0.callProviders + $0.judges }
        + Array(prepared.namedProviders.values),
      environment: environment)
    Terminal.redact(with: redactor)
    let factory = ProviderFactory(
      environment: environment, concurrency: prepared.concurrency, redactor: redactor, code: workers)
    let providers: [String: any Provider]
    do {
      providers = try await ProviderSetup(cache: runPlan.cache, environment: environment, factory: factory)
        .providers(
          for: prepared.suites + RunPlanner.endpointSuites(prepared.fixtures),
          cases: plan, more: prepared.fixtures.flatMap { (try? RetrievalFixtureLoader.calls($0)) ?? [] })
    } catch {
      await factory.shutdown()
      await workers?.shutdown()
      RunSession.report(error)
      return .usage
    }

    PhaseTimer.mark("providers ready")
    // Before any call is paid for (and after every config error, which leaves nothing behind): the dir is
    // writable, no other run writes into it, the last run's reports are gone.
    let claimed: OutputDir
    do {
      claimed = try OutputDir.claim(prepared.outputDir)
    } catch {
      await factory.shutdown()
      await workers?.shutdown()
      RunSession.report(error)
      return .usage
    }
    let outputDir = claimed.path
    // The finished lines are copied into the new results.jsonl (on disk before it replaces the old one).
    let reporters =
      RunReporters.standard(
        outputDir: outputDir, carried: resumed.map { AnySequence($0.usableLines) } ?? AnySequence([]),
        junit: JUnitReport(profile: prepared.junitProfile, hostname: Terminal.hostname),
        suitesWithManyPrompts: Set(prepared.suites.filter { $0.prompts.count > 1 }.map(\.id)))
      + [CIAnnotations(environment: environment)]
    let stream = ResultsStream(
      reporters: reporters, scratch: outputDir, expected: prepared.survey.cases,
      compact: RunSession.compactsPassingCases(prepared.suites))
    // The finished cases go into the reports one at a time, as this run's do; the run makes the others.
    var carriedSamples = 0
    if let resumed, !resumed.lines.isEmpty {
      carriedSamples = await resumed.carry(into: stream, ordered: ordered)
      let finished = resumed.finished
      plan = plan.keeping { !finished.contains($0.id) }
      Terminal.error(
        "resuming: \(finished.count) of \(prepared.survey.cases) cases already finished in \(resumed.path)\n")
      PhaseTimer.mark("carried \(finished.count) finished cases")
    }
    ordered = [:]
    let (caseCount, samples) =
      plan.list.map { ($0.count, $0.reduce(0) { $0 + $1.repeatCount }) }
      ?? (
        prepared.survey.cases - (resumed?.finished.count ?? 0), prepared.survey.samples - carriedSamples
      )
    let progress = ProgressDisplay(
      totalCases: caseCount, totalSamples: samples, live: Terminal.stderrIsTTY, enabled: !options.quiet)
    let interrupts = InterruptMonitor()
    interrupts.install()
    var runner = Runner(concurrency: prepared.concurrency, timeout: prepared.timeout, retry: prepared.retry)
    runner.prices = prepared.prices
    runner.budget = Budget(maxCost: options.maxCost, maxTokens: options.maxTokens)
    runner.throttles = prepared.throttles
    runner.redactor = redactor
    runner.code = workers
    runner.sql = SQLiteSyntaxChecker()
    // The suites' last runs from the history, for the trend charts, read while the calls run (none without
    // history); the store stays open for recording the run at the end.
    let history = HistoryHook(options: options.history, configPath: options.config, environment: environment)
    let suiteIDs = prepared.suites.map(\.id)
    async let past = history.past(suites: suiteIDs)
    PhaseTimer.mark("calls start")
    let telemetry = options.telemetry.tracing(startedAt: startedAt, environment: environment)
    var collected = await RunSession.execute(
      runner, cases: plan, providers: progress.gauge.wrap(providers), stream: stream, interrupts: interrupts,
      progress: progress,
      tracer: telemetry?.tracer)
    PhaseTimer.mark("run finished")
    // Retrieval fixtures with a provider: their queries go to the endpoint through the same runner.
    let (fixtures, endpointFailures) = await RetrievalEndpoints.rank(
      prepared.fixtures, runner: runner, providers: providers, interrupted: interrupts.interrupted)
    if let workers {
      for warning in await AfterHooks.run(prepared.suites, results: collected.list, code: workers) {
        Terminal.error(warning + "\n")
      }
    }
    await workers?.shutdown()
    // Reports list cases by suite, then test line, then case id: the order `evalgate merge` gives shards.
    // Sorted in place: a large run's results are not copied.
    collected.sortInReportOrder(
      suiteOrder: Dictionary(prepared.suites.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a }))
    let results = collected.take()
    plan = CasePlan(list: [])  // the results carry what reports need; free the listed cases before rendering reports
    PhaseTimer.mark("results sorted")
    await progress.finish()
    let finisher = await stream.finisher()
    // Closing the connection pool overlaps with writing the reports.
    async let closed: Void = factory.shutdown()

    var report: RunReport
    do {
      let assembly = try RunReportAssembly(
        prepared: prepared, results: results, tool: .init(name: "evalgate", version: EvalgateCommand.version),
        startedAt: startedAt, finishedAt: Date(), interrupted: interrupts.interrupted,
        repeatOverride: options.repeatCount, graderModels: runner.graderModels.snapshot, fixtures: fixtures,
        endpointFailures: endpointFailures)
      for line in assembly.messages { Terminal.error(line + "\n") }
      report = assembly.report
    } catch {
      await closed
      RunSession.report(error)
      return .usage
    }
    // Compared before the reports are written: the verdict goes into results.json and junit.xml too.
    var baselineError: (any Error)?
    var baselinePath = ""
    if !interrupts.interrupted, report.gate.status != .couldNotEvaluate {
      do {
        if let (comparison, path) = try compareWithBaseline(report, policy: prepared.verdict) {
          report.verdict = comparison
          baselinePath = path
        }
      } catch {
        baselineError = error
      }
    }
    // The one decision: printed first, leading every report, and the exit code.
    let retrievalFailures = (report.retrieval ?? []).flatMap(\.failures)
    report.decision =
      baselineError == nil
      ? ExitStatus.conclude(
        gate: report.gate, comparison: report.verdict, context: report.verdict == nil ? nil : "against \(baselinePath)",
        failOn: options.verdict.failOn, interrupted: interrupts.interrupted,
        finished: report.summary.total - report.summary.skipped, total: report.summary.total,
        retrievalFailures: retrievalFailures
      ).decision : nil
    PhaseTimer.mark("report assembled")
    let before = await past
    let trends = history.trends(with: report, past: before)
    do {
      try await finisher.finish(report, outputDir: outputDir, trends: trends)
    } catch {
      await closed
      Terminal.error("error: cannot write reports to '\(outputDir)': \(error)\n")
      return .couldNotEvaluate
    }
    PhaseTimer.mark("reports written")
    #if os(Linux)
      // The reports' buffers are freed: their pages go back before the history's record is built.
      _ = malloc_trim(0)
    #endif
    await closed
    // promptfoo's `outputPath`: the run's results copied where the suites ask, in the format of the extension.
    for path in Set(prepared.suites.flatMap(\.outputPaths)).sorted() {
      do {
        try RunSession.writeOutputPath(path, report: report, outputDir: outputDir)
      } catch {
        Terminal.error("error: cannot write outputPath '\(path)': \(error)\n")
        return .couldNotEvaluate
      }
    }
    if let failure = await stream.failure { Terminal.error("warning: \(failure)\n") }
    if let failure = providers.values.lazy.compactMap({ ($0 as? CachingProvider)?.cacheWriteFailure }).first {
      Terminal.error("warning: the response cache could not be written (\(failure)); answers were not saved\n")
    }
    var console = ConsoleSummary(color: Terminal.useColor)
    console.listPassed = options.verbose
    Terminal.output(
      options.quiet ? console.gateLine(report) : console.render(report, outputDir: outputDir), terminator: "")

    PhaseTimer.mark("done")
    withExtendedLifetime(claimed) {}
    if let baselineError {
      Terminal.error("\(baselineError)\n")
      return .usage
    }
    let decision = report.effectiveDecision
    if let comparison = report.verdict {
      var verdict = options.verdict
      if verdict.markdown == nil { verdict.markdown = outputDir + "/verdict.md" }
      do {
        try verdict.publish(comparison, decision: decision, label: "against \(baselinePath)", headline: false)
      } catch {
        Terminal.error("error: \(error)\n")
        return .couldNotEvaluate
      }
    }
    let status = ExitStatus(decision.status, failOn: options.verdict.failOn)
    await telemetry?.finish(report)
    await history.record(
      report, kind: .run, exitCode: status.rawValue, resultsFile: outputDir + "/results.json", opened: before.opened,
      repository: before.repository)
    return status
  }

  /// Runs the cases (``RunExecutor``) while the progress line redraws and Ctrl-C is watched: stop
  /// dispatching, give calls in flight a grace period, then cancel them. Returns every case's result, in
  /// the order the cases ended.
  static func execute(
    _ runner: Runner, cases: CasePlan, providers: [String: any Provider], stream: ResultsStream,
    interrupts: InterruptMonitor, progress: ProgressDisplay, grace: Duration = .seconds(5), tracer: RunTracer? = nil
  ) async -> CaseList.Builder {
    await RunExecutor(runner: runner, clock: ContinuousClock(), grace: grace).run(
      cases, providers: providers, into: stream, listener: TerminalListener(progress: progress, tracer: tracer),
      interrupted: { interrupts.interrupted })
  }

  /// Whether passing cases can be held compacted once their report pieces are kept: not when something at the
  /// end reads every case whole (promptfoo's `afterEach`/`afterAll` hooks, a CSV `outputPath`).
  static func compactsPassingCases(_ suites: [Suite]) -> Bool {
    !suites.contains { !$0.extensions.isEmpty || $0.outputPaths.contains { $0.lowercased().hasSuffix(".csv") } }
  }

  /// One `outputPath`: the report of its extension, copied from the output dir (CSV rendered).
  static func writeOutputPath(_ path: String, report: RunReport, outputDir: String) throws {
    let ext = (path as NSString).pathExtension.lowercased()
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    if ext == "csv" {
      try AtomicFile.write(CSVReport.render(report), to: path, durable: false)
      return
    }
    let source =
      [
        "json": "results.json", "jsonl": "results.jsonl", "html": "report.html", "xml": "junit.xml", "md": "summary.md",
      ][ext] ?? "results.json"
    let data = try Data(contentsOf: URL(fileURLWithPath: outputDir + "/" + source))
    try AtomicFile.write(Array(data), to: path, durable: false)
  }

  /// The comparison with the baselines of the suites that ran, when there are any: `--baseline PATH`,
  /// else `baselines/` when it exists. `nil` to gate on the plain pass rate.
  /// - Throws: ``Diagnostic`` for an unreadable baseline.
  func compareWithBaseline(_ report: RunReport, policy: VerdictPolicy) throws -> (Comparison, String)? {
    guard let store = BaselineStore.resolve(flag: options.baseline, disabled: options.noBaseline) else { return nil }
    // A shard is compared with its share of the baseline (retrieval queries stay with the first shard).
    let base = try store.load().restricted(to: report, shard: options.shard.flatMap(Shard.init))
    guard !base.cases.isEmpty else {
      if store.named { Terminal.error("warning: \(store.path) holds no baseline for the suites that ran\n") }
      return nil
    }
    return (options.verdict.compare(base.cases, report.records, policy: policy), store.path)
  }

  static func report(_ error: any Error) {
    Terminal.error("\(error)\n")
  }
}
