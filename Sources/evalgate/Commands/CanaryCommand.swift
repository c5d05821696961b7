import ArgumentParser
import EvalCore
import EvalProviders
import EvalReports
import EvalRun
import EvalWorkers
import Foundation

/// `evalgate canary --baseline-provider A --candidate-provider B [PATH…]`: both endpoints on the same
/// cases in one job, interleaved so that drift hits both alike, then the comparison and the verdict.
struct CanaryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "canary",
    abstract: "Run the suites against a baseline and a candidate endpoint side by side and give the verdict.",
    usage: """
      evalgate canary [<options>] [<paths> ...]
        --baseline-provider <name> --candidate-provider <name>
      """,
    discussion: """
      A and B are provider names from evalgate.yaml, or the label or id of a provider in the suites. Every \
      case runs once (or --repeat times) against each, calls interleaved A, B, A, B, …; then the two arms \
      are compared case by case as `evalgate compare` does. The response cache is not used: a canary \
      measures the endpoints as they are now. Reports go to the output dir: verdict.md, \
      baseline-results.json and candidate-results.json.

      Exit codes: 0 PROMOTE, 1 ROLLBACK, 2 usage or config error, 3 HOLD, 4 could not evaluate.

      Example:
        evalgate canary --baseline-provider prod --candidate-provider canary \\
          suites/ -j 16 --repeat 3
      """)

  @Option(name: .customLong("baseline-provider"), help: "The endpoint serving now.") var baselineProvider: String
  @Option(name: .customLong("candidate-provider"), help: "The endpoint to promote.") var candidateProvider: String
  @Argument(help: "Suite files or folders.") var paths: [String] = []
  @Option(name: [.customShort("c"), .customLong("config")], help: "Project config file.") var config: String?
  @Option(name: [.customShort("j"), .customLong("concurrency")], help: "Calls in flight at once.") var concurrency: Int?
  @Option(name: [.customShort("o"), .customLong("output-dir")], help: "Where reports go.")
  var outputDir = "reports/canary"
  @Option(name: .customLong("repeat"), help: "Samples per case and endpoint.") var repeatCount: Int?
  @Option(help: "Per-call timeout, e.g. 30s.") var timeout: String?
  @OptionGroup var verdict: VerdictOptions
  @OptionGroup var history: HistoryOptions

  func run() async throws {
    try await CommandOutcome.finish { try await canary() }
  }

  /// The run both arms share: no response cache (a canary measures the endpoints as they are now), no baseline.
  /// - Throws: ``Diagnostic`` for a flag out of range.
  func plan() throws -> RunPlan {
    var plan = RunPlan()
    (plan.paths, plan.config, plan.concurrency, plan.repeatCount, plan.noBaseline) =
      (paths, config, concurrency, repeatCount, true)
    do {
      try plan.checkRanges()
      plan.timeout = try timeout.map(RunPlan.timeout)
    } catch { throw Diagnostic(error.message) }
    return plan
  }

  func canary() async throws -> ExitStatus {
    let environment = ProcessInfo.processInfo.environment
    let (prepared, _) = try RunPlanner(plan: try plan(), environment: environment, phase: PhaseTimer.mark).prepare()
    var canary = try CanaryRun(
      prepared, baselineProvider: baselineProvider, candidateProvider: candidateProvider, repeatCount: repeatCount,
      environment: environment)
    // Code (assertions, providers, prompts and vars computed by code) runs in the workers, as in `run`.
    let workers = try CodeWorkerSetup.workers(
      for: canary.cases, providers: canary.specs, timeout: prepared.timeout, environment: environment)
    if canary.cases.contains(where: { $0.deferred != nil }) {
      do {
        canary.cases = try await DeferredPrompts.resolve(canary.cases, code: workers, environment: environment)
      } catch {
        await workers?.shutdown()
        throw error
      }
    }
    let redactor = ProviderFactory.redactor(
      for: canary.specs + Array(prepared.namedProviders.values), environment: environment)
    Terminal.redact(with: redactor)
    let factory = ProviderFactory(
      environment: environment, concurrency: prepared.concurrency, redactor: redactor, code: workers)
    let providers: [String: any Provider]
    do {
      let setup = ProviderSetup(cache: nil, environment: environment, factory: factory) { Terminal.error($0 + "\n") }
      providers = try await setup.providers(for: canary.arms, cases: canary.cases)
    } catch {
      await factory.shutdown()
      await workers?.shutdown()
      throw error
    }
    Terminal.error(
      "canary: \(canary.cases.count / 2) cases against \(canary.baseline.label) and \(canary.candidate.label), "
        + "interleaved\n")
    let startedAt = Date()
    let arms = await canary.run(prepared, providers: providers, redactor: redactor, code: workers)
    await factory.shutdown()
    await workers?.shutdown()
    try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
    let reports = [arms.baseline, arms.candidate].map {
      CanaryRun.report(
        $0, of: prepared, repeatCount: repeatCount, version: EvalgateCommand.version, startedAt: startedAt)
    }
    for (name, report) in zip(["baseline", "candidate"], reports) {
      try AtomicFile.write(try JSONReport.render(report), to: "\(outputDir)/\(name)-results.json")
    }
    if CanaryRun.cannotEvaluate(arms) {
      Terminal.error("could not evaluate: every case of one endpoint errored or was skipped\n")
      return .couldNotEvaluate
    }
    var verdict = self.verdict
    if verdict.markdown == nil { verdict.markdown = outputDir + "/verdict.md" }
    let (decision, status) = try verdict.judge(
      baseline: arms.baseline.map(CaseRecord.init), candidate: arms.candidate.map(CaseRecord.init),
      policy: CanaryRun.policy(prepared), label: canary.label)
    await HistoryHook(options: history, configPath: config, environment: environment)
      .record(
        reports[1], kind: .canary, exitCode: status.rawValue, resultsFile: "\(outputDir)/candidate-results.json",
        verdict: ExitStatus.verdictWord(decision.status))
    return status
  }
}
