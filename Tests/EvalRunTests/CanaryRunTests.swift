import EvalCore
import EvalProviders
import EvalRun
import Testing

/// The canary's arms: which providers, the interleaved results split back, and when nothing can be judged.
struct CanaryRunTests {
  static func spec(_ id: String, label: String? = nil) -> ProviderSpec {
    ProviderSpec(id: id, label: label, location: SourceLocation(file: "evalgate.yaml", line: 2, column: 3))
  }

  static func suite(_ providers: [ProviderSpec]) -> Suite {
    Suite(id: "s", file: "s.yaml", prompts: [], providers: providers, tests: [])
  }

  static func result(_ id: String, _ outcome: Outcome) -> CaseResult {
    let c = CaseFilterTests.evalCase(id)
    let attempt = AttemptResult(index: 0, outcome: outcome, output: "x", latencyMs: 1)
    return CaseResult(case: c, attempts: [attempt], skipReason: outcome == .skipped ? "skipped" : nil)
  }

  @Test func providersResolveByNameThenLabelThenId() throws {
    let named = ["prod": Self.spec("openai:chat:a")]
    let suites = [Self.suite([Self.spec("echo", label: "mirror"), Self.spec("openai:chat:b")])]
    #expect(try CanaryRun.resolve("prod", flag: "--x", named: named, suites: suites).id == "openai:chat:a")
    #expect(try CanaryRun.resolve("mirror", flag: "--x", named: named, suites: suites).id == "echo")
    #expect(try CanaryRun.resolve("openai:chat:b", flag: "--x", named: named, suites: suites).id == "openai:chat:b")
    #expect {
      _ = try CanaryRun.resolve("prd", flag: "--baseline-provider", named: named, suites: suites)
    } throws: { error in
      let text = "\(error)"
      return text.contains("--baseline-provider 'prd' names no provider") && text.contains("prod")
    }
  }

  @Test func anArmWithNothingJudgedCannotBeEvaluated() {
    let ok = [Self.result("a", .passed), Self.result("b", .errored)]
    let broken = [Self.result("a", .errored), Self.result("b", .skipped)]
    #expect(!CanaryRun.cannotEvaluate((ok, ok)))
    #expect(CanaryRun.cannotEvaluate((ok, broken)))
    #expect(CanaryRun.cannotEvaluate((broken, ok)))
    #expect(CanaryRun.cannotEvaluate(([], ok)))
  }
}

/// The canary's use case in process: both arms planned from a project on disk, run against echo providers.
struct CanaryRunInProcessTests {
  @Test func armsPairCaseByCaseAndSplitBackUnderTheirLabels() async throws {
    let (prepared, _) = try RunPlanner(plan: try RunPlannerTests.project(), environment: [:]).prepare()
    let canary = try CanaryRun(
      prepared, baselineProvider: "echo", candidateProvider: "mirror", repeatCount: nil, environment: [:])
    #expect(canary.cases.count == 6 && canary.arms.count == 2)
    #expect(canary.label == "echo → mirror, interleaved")
    // Interleaved A, B, A, B: each pair is one case id, so the arms compare case by case.
    for pair in stride(from: 0, to: canary.cases.count, by: 2) {
      #expect(canary.cases[pair].id == canary.cases[pair + 1].id)
      #expect(canary.cases[pair].providerLabel == "canary")
    }
    var providers: [String: any Provider] = [:]
    for spec in canary.specs { providers[spec.key] = EchoProvider(label: spec.label) }
    let arms = await canary.run(prepared, providers: providers, redactor: Redactor(), code: nil)
    #expect(arms.baseline.map(\.provider) == Array(repeating: "echo", count: 3))
    #expect(arms.candidate.map(\.provider) == Array(repeating: "mirror", count: 3))
    #expect(arms.baseline.map(\.id) == arms.candidate.map(\.id))
    #expect(Set(arms.baseline.map(\.id)).count == 3)
    #expect(!CanaryRun.cannotEvaluate(arms))
    #expect(CanaryRun.policy(prepared).armsInterleaved)
  }

  @Test func suitesWithoutCasesAreRefused() throws {
    // Providers named in evalgate.yaml resolve even when the filter leaves no suite.
    var plan = try RunPlannerTests.project(config: "providers:\n  prod:\n    id: echo\n")
    plan.filter = CaseFilter(ids: ["nothing-matches"])
    let (prepared, _) = try RunPlanner(plan: plan, environment: [:]).prepare()
    #expect {
      _ = try CanaryRun(
        prepared, baselineProvider: "prod", candidateProvider: "prod", repeatCount: nil, environment: [:])
    } throws: { error in
      "\(error)" == "error: the suites have no cases"
    }
  }
}
