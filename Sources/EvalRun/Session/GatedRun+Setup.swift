import EvalCore
import EvalLoading
import EvalProviders
import EvalWorkers
import Foundation

extension GatedRun {
  /// A run ready to call: its suites loaded and expanded, its `--resume` log read, its code workers
  /// started and its providers built.
  struct Setup {
    var prepared: RunPlanner.Prepared
    /// The cases to call (those a resumed run finished left out, once they are carried).
    var cases: CasePlan
    /// The `--resume` log, read before the output dir's results.jsonl is replaced; let go once its cases are
    /// carried into the stream.
    var resumed: ResumeLog?
    /// The ordered cases (`storeOutputAs`, `_conversation`), by id, when resuming: a finished one hands its
    /// answer on to the cases after it.
    var ordered: [CaseID: EvalCase] = [:]
    /// The finished cases carried from the `--resume` log, and their samples.
    var carriedCases = 0
    var carriedSamples = 0
    /// Runs code assertions, transforms and code providers (`nil`: the suites have no code).
    var workers: CodeWorkers?
    /// The run's credentials.
    var redactor: Redactor
    /// Holds the providers' HTTP client.
    var factory: ProviderFactory
    /// The providers by ``ProviderSpec/key``.
    var providers: [String: any Provider]

    /// Stops the code workers and the HTTP client.
    func shutdown() async {
      await factory.shutdown()
      await workers?.shutdown()
    }
  }

  /// Loads, expands, reads the `--resume` log, starts the code workers, resolves deferred prompts and
  /// builds the providers: every config error is said here, before anything is written; `nil` then.
  func setUp() async -> Setup? {
    let prepared: RunPlanner.Prepared
    var cases: CasePlan
    var resumed: ResumeLog?
    var ordered: [CaseID: EvalCase] = [:]
    do {
      (prepared, cases) = try RunPlanner(plan: plan, environment: environment, phase: { console.phase($0) }).prepare()
      console.phase("loaded and expanded \(prepared.survey.cases) cases")
      // Read before the output dir's results.jsonl is replaced: it is often the same file (and kept open).
      if let path = plan.resume {
        var planned = CaseIDSet()
        for c in cases {
          planned.insert(c.id)
          if c.sequence != nil { ordered[c.id] = c }
        }
        resumed = try ResumeLog(path: path, wanted: planned.contains)
        console.phase("read \(resumed?.finished.count ?? 0) finished cases to resume")
      }
    } catch {
      return failed(error)
    }
    // Code assertions and transforms run in node/python3 workers; a missing interpreter is a located error
    // before anything is called.
    let workers: CodeWorkers?
    do {
      workers = try CodeWorkerSetup.workers(for: prepared, environment: environment)
    } catch {
      return failed(error)
    }
    // Vars computed by code and prompt functions, before any call (and before the cache is read).
    if prepared.survey.hasDeferred {
      do {
        cases.materialize()
        cases.replaceList(
          try await DeferredPrompts.resolve(cases.list ?? [], code: workers, environment: environment))
      } catch {
        await workers?.shutdown()
        return failed(error)
      }
    }
    let endpoints = prepared.suites + RunPlanner.endpointSuites(prepared.fixtures)
    let redactor = ProviderFactory.redactor(
      for: endpoints.flatMap { $0.callProviders + $0.judges } + Array(prepared.namedProviders.values),
      environment: environment)
    console.redact(with: redactor)
    let factory = ProviderFactory(
      environment: environment, concurrency: prepared.concurrency, redactor: redactor, code: workers)
    var setup = ProviderSetup(cache: plan.cache, environment: environment, factory: factory) { console.say($0) }
    setup.make = makeProvider
    let providers: [String: any Provider]
    do {
      providers = try await setup.providers(
        for: endpoints, cases: cases, more: prepared.fixtures.flatMap { (try? RetrievalFixtureLoader.calls($0)) ?? [] })
    } catch {
      await factory.shutdown()
      await workers?.shutdown()
      return failed(error)
    }
    console.phase("providers ready")
    return Setup(
      prepared: prepared, cases: cases, resumed: resumed, ordered: ordered, workers: workers, redactor: redactor,
      factory: factory, providers: providers)
  }

  /// Says `error`; no setup.
  private func failed(_ error: any Error) -> Setup? {
    console.say("\(error)")
    return nil
  }
}
