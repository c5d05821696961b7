import EvalCore
import EvalProviders
import EvalReports
import EvalWorkers
import Foundation

#if os(Linux)
  import CMalloc
#endif

/// `evalgate run`'s use case: load and expand the suites, build the providers, claim the output dir, call
/// every case (resuming a run's finished ones), write the reports, compare with the baseline and take the
/// one decision the exit status follows. Nothing is written before every suite loaded cleanly. What the
/// person sees (``RunConsole``), who watches the calls (``RunWatcher``), whether the run was interrupted,
/// the history (``RunHistory``), the clock and the providers' construction are injected.
public struct GatedRun {
  /// How a run ended.
  public struct Outcome: Sendable {
    /// The exit status.
    public var status: ExitStatus
    /// The run's report, once assembled (`nil` when the run stopped before it).
    public var report: RunReport?
    /// The output dir the reports went to, once claimed.
    public var outputDir: String?
  }

  /// The run's flags, resolved.
  public var plan: RunPlan
  /// Where API keys, base URLs and `env.*` come from.
  public var environment: [String: String]
  /// The evalgate version the reports name.
  public var version: String
  /// This machine's name, for junit.xml.
  public var hostname: String?
  /// What the person sees.
  public var console: any RunConsole
  /// Who watches the calls.
  public var watcher: any RunWatcher
  /// Where the run is recorded, and its suites' last runs read.
  public var history: any RunHistory
  /// Whether the run was interrupted (Ctrl-C): polled while calls run, and asked when the run is decided.
  public var interrupted: @Sendable () -> Bool
  /// More reporters beside the standard ones (CI annotations).
  public var reporters: [any Reporter] = []
  /// Paces the progress ticks and the grace period after an interrupt.
  public var clock: any Clock<Duration> = ContinuousClock()
  /// How long calls in flight may go on after an interrupt.
  public var grace: Duration = .seconds(5)
  /// The wall time the run and its events are stamped with.
  public var now: @Sendable () -> Date = { Date() }
  /// Builds one provider: the factory's, unless a caller runs its own in process.
  public var makeProvider: (ProviderSpec, ProviderFactory) throws -> any Provider = { try $1.make($0) }
  /// Called with the outcome of a run that got to its end (its reports written, its history recorded), before the
  /// run lets go of its memory case by case: an executable that ends with the run exits the process here, and the
  /// kernel takes the memory back at once. ``run()`` then returns the outcome, if it is still running.
  public var ended: (@Sendable (Outcome) -> Void)?

  /// A run of `plan`, saying what it does on `console`, watched by `watcher`, recorded in `history`.
  public init(
    plan: RunPlan, environment: [String: String], version: String, hostname: String?, console: any RunConsole,
    watcher: any RunWatcher, history: any RunHistory, interrupted: @escaping @Sendable () -> Bool
  ) {
    self.plan = plan
    self.environment = environment
    self.version = version
    self.hostname = hostname
    self.console = console
    self.watcher = watcher
    self.history = history
    self.interrupted = interrupted
  }

  /// Runs, start to end.
  public func run() async -> Outcome { await run(recordingIn: history) }

  private func run<History: RunHistory>(recordingIn history: History) async -> Outcome {
    let startedAt = now()
    guard var setup = await setUp() else { return Outcome(status: .usage) }
    let prepared = setup.prepared
    // The first round's connections are opened while the output dir is claimed and the stream opened: opened by
    // the first calls, 64 at once, they held that round up (docs/benchmarks.md, session 22). The calls do not
    // wait for all of them: each takes one as it opens (session 23).
    Self.warmUp(setup.providers, for: setup.cases, connections: min(prepared.concurrency, prepared.survey.samples))
    // Before any call is paid for (and after every config error, which leaves nothing behind): the dir is
    // writable, no other run writes into it, the last run's reports are gone.
    let claimed: OutputDir
    do {
      claimed = try OutputDir.claim(prepared.outputDir)
    } catch {
      await setup.shutdown()
      console.say("\(error)")
      return Outcome(status: .usage)
    }
    let outputDir = claimed.path
    let stream = await openStream(&setup, outputDir: outputDir)
    let runner = makeRunner(setup)
    // The suites' last runs from the history, for the trend charts, read while the calls run (none without
    // history); the store stays open for recording the run at the end. Read once the first calls are out
    // (``historyDelay`` after they were dispatched, or when the calls end, if sooner): opening and reading the
    // store (and asking git) took the cores the first requests needed.
    let (suiteIDs, expected) = (prepared.suites.map(\.id), prepared.survey.cases)
    let (underWay, dispatched) = AsyncStream<Never>.makeStream()
    let (calling, callsEnded) = AsyncStream<Never>.makeStream()
    async let past = Self.past(of: history, suites: suiteIDs, cases: expected, after: underWay, or: calling)
    var collected = await call(
      setup, runner: runner, stream: stream, startedAt: startedAt, dispatched: { dispatched.finish() })
    dispatched.finish()  // a run that stopped before dispatching anything still reads its history
    callsEnded.finish()
    // Every case is in: results.jsonl goes to disk while the report is assembled (its flush held up the other
    // artifacts' writes when it was made beside them).
    let finisher = await stream.finisher()
    async let casesEnded: Void = finisher.casesEnded()
    // Retrieval fixtures with a provider: their queries go to the endpoint through the same runner.
    let (fixtures, endpointFailures) = await RetrievalEndpoints.rank(
      prepared.fixtures, runner: runner, providers: setup.providers, interrupted: interrupted())
    if let workers = setup.workers {
      for warning in await AfterHooks.run(prepared.suites, results: collected.list, code: workers) {
        console.say(warning)
      }
    }
    await setup.workers?.shutdown()
    // Reports list cases by suite, then test line, then case id: the order `evalgate merge` gives shards.
    // Sorted in place: a large run's results are not copied.
    collected.sortInReportOrder(
      suiteOrder: Dictionary(prepared.suites.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a }))
    var results = collected.take()
    setup.cases = CasePlan(list: [])  // the results carry what reports need; free the listed cases first
    console.phase("results sorted")
    await watcher.callsEnded()
    // A compacted case is read back whole from its kept line where a report lists its reasons.
    let fragments = finisher.fragments
    results.wholeReader = { fragments.whole($0) }
    // Closing the connection pool overlaps with writing the reports.
    let factory = setup.factory
    async let closed: Void = factory.shutdown()

    var report: RunReport
    do {
      let assembly = try RunReportAssembly(
        prepared: prepared, results: results, tool: .init(name: "evalgate", version: version),
        startedAt: startedAt, finishedAt: now(), interrupted: interrupted(), repeatOverride: plan.repeatCount,
        graderModels: runner.graderModels.snapshot, fixtures: fixtures, endpointFailures: endpointFailures)
      for line in assembly.messages { console.say(line) }
      report = assembly.report
    } catch {
      await closed
      console.say("\(error)")
      return Outcome(status: .usage, outputDir: outputDir)
    }
    let decided = decide(&report, policy: prepared.verdict)
    console.phase("report assembled")
    let before = await past
    // The history's record is made ready (its cases encoded) while the reports are written; it is written last.
    async let ready = history.prepare(report, past: before)
    await casesEnded
    let digests: [String: String]
    do {
      digests = try await finisher.finish(
        report, outputDir: outputDir, trends: { [report] in history.trends(with: report, past: before) })
    } catch {
      await closed
      _ = await ready
      console.say("error: cannot write reports to '\(outputDir)': \(error)")
      return Outcome(status: .couldNotEvaluate, report: report, outputDir: outputDir)
    }
    console.phase("reports written")
    #if os(Linux)
      // The reports' buffers are freed: their pages go back before the history's record is built.
      _ = malloc_trim(0)
    #endif
    await closed
    let made = await ready
    defer { withExtendedLifetime(claimed) {} }
    let outcome = await conclude(
      report, of: setup, outputDir: outputDir, stream: stream, decided: decided, history: history, past: made,
      resultsSHA256: digests[ResultsJSONReporter().artifact])
    ended?(outcome)
    return outcome
  }

  /// Starts opening `connections` connections ahead for the provider of the first case (cases go provider by
  /// provider, so the first round calls it).
  static func warmUp(_ providers: [String: any Provider], for cases: CasePlan, connections: Int) {
    var first = cases.makeIterator()
    guard connections > 0, let key = first.next()?.providerKey, let provider = providers[key] else { return }
    provider.warmUp(connections: connections)
  }

  /// Waits for `work` to end, at most `limit` (real time); it is cancelled if it has not ended by then.
  private static func wait(atMost limit: Duration, for work: @escaping @Sendable () async -> Void) async {
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await work() }
      group.addTask { try? await Task.sleep(for: limit) }
      await group.next()
      group.cancelAll()
    }
  }

  /// How long after the first calls were dispatched the history is read: long enough for a round of 64 calls
  /// to be connected and sent. At C = 64 and 200 ms, reading it at once held up the first round by 6 ms
  /// (docs/benchmarks.md, session 22); a run's calls take far longer than this, and one that ends sooner reads it
  /// when they end.
  static let historyDelay: Duration = .milliseconds(100)

  /// What `history` holds of `suites` before a run of `cases` cases, read ``historyDelay`` after `underWay` ends
  /// (the run's first calls are dispatched), or once `calling` ends (the calls are over), whichever is first.
  private static func past<History: RunHistory>(
    of history: History, suites: [String], cases: Int, after underWay: AsyncStream<Never>,
    or calling: AsyncStream<Never>
  ) async -> History.Past {
    for await _ in underWay {}
    await wait(atMost: historyDelay) { for await _ in calling {} }
    return await history.past(suites: suites, cases: cases)
  }
}
