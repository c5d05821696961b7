import EvalCore
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
