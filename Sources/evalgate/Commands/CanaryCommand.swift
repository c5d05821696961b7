import ArgumentParser
import EvalCore
import EvalLoading
import EvalProviders
import EvalReports
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

  @Option(name: .customLong("baseline-provider"), help: "The endpoint serving now.")
  var baselineProvider: String

  @Option(name: .customLong("candidate-provider"), help: "The endpoint to promote.")
  var candidateProvider: String

  @Argument(help: "Suite files or folders.")
  var paths: [String] = []

  @Option(name: [.customShort("c"), .customLong("config")], help: "Project config file.")
  var config: String?

  @Option(name: [.customShort("j"), .customLong("concurrency")], help: "Calls in flight at once.")
  var concurrency: Int?

  @Option(name: [.customShort("o"), .customLong("output-dir")], help: "Where reports go.")
  var outputDir = "reports/canary"

  @Option(name: .customLong("repeat"), help: "Samples per case and endpoint.")
  var repeatCount: Int?

  @Option(help: "Per-call timeout, e.g. 30s.")
  var timeout: String?

  @OptionGroup var verdict: VerdictOptions

  @OptionGroup var history: HistoryOptions

  func run() async throws {
    try await CommandOutcome.finish { try await canary() }
  }

  func canary() async throws -> ExitStatus {
    var args = paths + ["--no-cache", "--no-baseline"]
    if let config { args += ["-c", config] }
    if let concurrency { args += ["-j", String(concurrency)] }
    if let repeatCount { args += ["--repeat", String(repeatCount)] }
    if let timeout { args += ["--timeout", timeout] }
    let options: RunCommand
    do { options = try RunCommand.parse(args) } catch { throw Diagnostic("\(RunCommand.message(for: error))") }
    let session = RunSession(options: options)
    let (prepared, _) = try session.prepare()
    let a = try Self.resolve(
      baselineProvider, flag: "--baseline-provider", named: prepared.namedProviders, suites: prepared.suites)
    let b = try Self.resolve(
      candidateProvider, flag: "--candidate-provider", named: prepared.namedProviders, suites: prepared.suites)

    // The same cases for both arms: one label for both, so case ids match; calls interleaved A, B, A, B.
    let expansion = Expansion(renderer: TemplateRenderer(environment: session.environment), repeatOverride: repeatCount)
    var cases: [EvalCase] = []
    var arms: [Suite] = []
    for suite in prepared.suites {
      var armA = suite
      var armB = suite
      armA.providers = [ProviderSpec(id: a.id, label: "canary", config: a.config, location: a.location)]
      armB.providers = [ProviderSpec(id: b.id, label: "canary", config: b.config, location: b.location)]
      arms += [armA, armB]
      for (x, y) in zip(try expansion.cases(for: armA), try expansion.cases(for: armB)) { cases += [x, y] }
    }
    guard !cases.isEmpty else { throw Diagnostic("the suites have no cases") }
    // Code (assertions, providers, prompts and vars computed by code) runs in the workers, as in `run`.
    let workers = try RunSession.codeWorkers(
      for: cases, providers: arms.flatMap { $0.providers + $0.judges }, timeout: prepared.timeout,
      environment: session.environment)
    if cases.contains(where: { $0.deferred != nil }) {
      do {
        cases = try await RunSession.resolveDeferred(cases, code: workers, environment: session.environment)
      } catch {
        await workers?.shutdown()
        throw error
      }
    }

    let redactor = ProviderFactory.redactor(
      for: arms.flatMap { $0.providers + $0.judges } + Array(prepared.namedProviders.values),
      environment: session.environment)
    Terminal.redact(with: redactor)
    let factory = ProviderFactory(
      environment: session.environment, concurrency: prepared.concurrency, redactor: redactor, code: workers)
    let providers: [String: any Provider]
    do {
      providers = try await ProviderSetup(options: options, environment: session.environment, factory: factory)
        .providers(for: arms, cases: cases)
    } catch {
      await factory.shutdown()
      await workers?.shutdown()
      throw error
    }
    var runner = Runner(concurrency: prepared.concurrency, timeout: prepared.timeout, retry: prepared.retry)
    runner.prices = prepared.prices
    runner.throttles = prepared.throttles
    runner.redactor = redactor
    runner.code = workers
    Terminal.error("canary: \(cases.count / 2) cases against \(a.label) and \(b.label), interleaved\n")
    let startedAt = Date()
    let results = await runner.run(cases, providers: providers)
    await factory.shutdown()
    await workers?.shutdown()

    var base: [CaseResult] = []
    var cand: [CaseResult] = []
    for (i, var r) in results.enumerated() {
      r.provider = i % 2 == 0 ? a.label : b.label
      if i % 2 == 0 { base.append(r) } else { cand.append(r) }
    }
    try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
    var candidate: RunReport?
    for (name, arm) in [("baseline", base), ("candidate", cand)] {
      let report = RunReport(
        tool: .init(name: "evalgate", version: EvalgateCommand.version), startedAt: startedAt, finishedAt: Date(),
        interrupted: false,
        settings: .init(
          concurrency: prepared.concurrency, timeoutMs: Int(prepared.timeout.inMilliseconds),
          repeatOverride: repeatCount),
        suites: prepared.suites, cases: arm, gate: prepared.gate)
      try AtomicFile.write(try JSONReport.render(report), to: "\(outputDir)/\(name)-results.json")
      candidate = report
    }
    if base.allSatisfy({ $0.outcome == .errored || $0.outcome == .skipped })
      || cand.allSatisfy({ $0.outcome == .errored || $0.outcome == .skipped })
    {
      Terminal.error("could not evaluate: every case of one endpoint errored or was skipped\n")
      return .couldNotEvaluate
    }
    var verdict = self.verdict
    if verdict.markdown == nil { verdict.markdown = outputDir + "/verdict.md" }
    // The arms ran interleaved on one machine: latency compares like with like and gates.
    var policy = prepared.verdict
    policy.armsInterleaved = true
    let status = try verdict.judge(
      baseline: base.map(CaseRecord.init), candidate: cand.map(CaseRecord.init), policy: policy,
      label: "\(a.label) → \(b.label), interleaved")
    let words: [ExitStatus: String] = [.passed: "PROMOTE", .hold: "HOLD", .gateFailed: "ROLLBACK"]
    if let candidate {
      await HistoryHook(options: history, configPath: config, environment: session.environment)
        .record(
          candidate, kind: .canary, exitCode: status.rawValue, resultsFile: "\(outputDir)/candidate-results.json",
          verdict: words[status])
    }
    return status
  }

  /// A provider by name in evalgate.yaml, else by label or id among the suites' providers.
  static func resolve(
    _ name: String, flag: String, named: [String: ProviderSpec], suites: [Suite]
  ) throws -> ProviderSpec {
    if let spec = named[name] { return spec }
    let all = suites.flatMap(\.providers)
    if let found = all.first(where: { $0.label == name }) ?? all.first(where: { $0.id == name }) { return found }
    let known = Array(named.keys) + all.map(\.label)
    throw Diagnostic(
      "\(flag) '\(name)' names no provider in evalgate.yaml or the suites\(Suggestion.didYouMean(name, in: known))")
  }
}
