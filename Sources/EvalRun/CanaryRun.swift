import EvalCore
import EvalLoading
import EvalWorkers
import Foundation

/// `evalgate canary`'s use case: the same cases against a baseline and a candidate endpoint, as two arms
/// whose calls are interleaved (A, B, A, B, …) so that drift hits both alike, then split back into one
/// run's results per arm, compared as `evalgate compare` compares two runs.
public struct CanaryRun {
  /// The endpoint serving now (arm A).
  public let baseline: ProviderSpec
  /// The endpoint to promote (arm B).
  public let candidate: ProviderSpec
  /// Each suite twice, A's copy then B's, each with its arm's provider under the one label `canary` (so
  /// the arms' case ids match).
  public let arms: [Suite]
  /// Every case of both arms, interleaved: A, B, A, B, …
  public var cases: [EvalCase]

  /// The arms for `prepared`'s suites.
  /// - Parameters:
  ///   - baselineProvider: `--baseline-provider`: a name in evalgate.yaml, or a label or id in the suites.
  ///   - candidateProvider: `--candidate-provider`, likewise.
  ///   - repeatCount: samples per case and endpoint, over the suites' `repeat`.
  /// - Throws: ``Diagnostic`` for a provider that is not found, a case that cannot be expanded, or suites
  ///   without cases.
  public init(
    _ prepared: RunPlanner.Prepared, baselineProvider: String, candidateProvider: String, repeatCount: Int?,
    environment: [String: String]
  ) throws {
    let a = try Self.resolve(
      baselineProvider, flag: "--baseline-provider", named: prepared.namedProviders, suites: prepared.suites)
    let b = try Self.resolve(
      candidateProvider, flag: "--candidate-provider", named: prepared.namedProviders, suites: prepared.suites)
    let expansion = Expansion(renderer: TemplateRenderer(environment: environment), repeatOverride: repeatCount)
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
    (baseline, candidate, self.arms, self.cases) = (a, b, arms, cases)
  }

  /// What the comparison is of: `prod → next, interleaved`.
  public var label: String { "\(baseline.label) → \(candidate.label), interleaved" }

  /// The providers and judges the arms call.
  public var specs: [ProviderSpec] { arms.flatMap { $0.providers + $0.judges } }

  /// Runs the interleaved cases once each, in order, on `runner` (set up as `prepared` says, with the
  /// redactor and the code workers given); the results split into the two arms, each case under its arm's
  /// provider label.
  public func run(
    _ prepared: RunPlanner.Prepared, providers: [String: any Provider], redactor: Redactor, code: CodeWorkers?
  ) async -> (baseline: [CaseResult], candidate: [CaseResult]) {
    var runner = Runner(concurrency: prepared.concurrency, timeout: prepared.timeout, retry: prepared.retry)
    runner.prices = prepared.prices
    runner.throttles = prepared.throttles
    runner.redactor = redactor
    runner.code = code
    return split(await runner.run(cases, providers: providers))
  }

  /// Interleaved results (A, B, A, B, …) as the two arms', each case under its arm's provider label.
  public func split(_ results: [CaseResult]) -> (baseline: [CaseResult], candidate: [CaseResult]) {
    var base: [CaseResult] = []
    var cand: [CaseResult] = []
    for (i, var r) in results.enumerated() {
      r.provider = i % 2 == 0 ? baseline.label : candidate.label
      if i % 2 == 0 { base.append(r) } else { cand.append(r) }
    }
    return (base, cand)
  }

  /// One arm's results as a run's report.
  public static func report(
    _ arm: [CaseResult], of prepared: RunPlanner.Prepared, repeatCount: Int?, version: String, startedAt: Date
  ) -> RunReport {
    RunReport(
      tool: .init(name: "evalgate", version: version), startedAt: startedAt, finishedAt: Date(),
      interrupted: false,
      settings: .init(
        concurrency: prepared.concurrency, timeoutMs: Int(prepared.timeout.inMilliseconds),
        repeatOverride: repeatCount),
      suites: prepared.suites, cases: arm, gate: prepared.gate)
  }

  /// True when an arm has nothing to judge: every case errored or was skipped.
  public static func cannotEvaluate(_ arms: (baseline: [CaseResult], candidate: [CaseResult])) -> Bool {
    let judged = { (arm: [CaseResult]) in arm.contains { $0.outcome != .errored && $0.outcome != .skipped } }
    return !judged(arms.baseline) || !judged(arms.candidate)
  }

  /// The verdict's policy for the arms: the project's, with latency gating as the arms ran interleaved on
  /// one machine (like is compared with like).
  public static func policy(_ prepared: RunPlanner.Prepared) -> VerdictPolicy {
    var policy = prepared.verdict
    policy.armsInterleaved = true
    return policy
  }

  /// A provider by name in evalgate.yaml, else by label or id among the suites' providers.
  /// - Throws: ``Diagnostic`` naming `flag` when there is none, with the nearest name.
  public static func resolve(
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
