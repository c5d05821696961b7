import EvalCore
import EvalReports
import EvalRun
import Foundation
import Testing

/// Planning in process: a project on disk, loaded, expanded lazily, filtered and sharded as the plan says.
struct RunPlannerTests {
  static let suite = """
    description: planner
    prompts:
      - "Say {{ word }}"
    providers:
      - id: echo
      - id: echo
        label: mirror
    tests:
      - id: alpha
        vars: { word: a }
      - id: beta
        vars: { word: b }
      - id: gamma
        vars: { word: c }
    """

  /// A project folder with evalgate.yaml and one suite; the plan names both.
  static func project(config: String = "concurrency: 3\n") throws -> RunPlan {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalrun-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try config.write(to: dir.appendingPathComponent("evalgate.yaml"), atomically: true, encoding: .utf8)
    try suite.write(to: dir.appendingPathComponent("planner.yaml"), atomically: true, encoding: .utf8)
    var plan = RunPlan()
    plan.config = dir.appendingPathComponent("evalgate.yaml").path
    plan.paths = [dir.appendingPathComponent("planner.yaml").path]
    return plan
  }

  @Test func expandsEveryCaseAndTakesSettingsFromTheConfig() throws {
    var plan = try Self.project()
    plan.repeatCount = 2
    var phases: [String] = []
    let (prepared, cases) = try RunPlanner(plan: plan, environment: [:], phase: { phases.append($0) }).prepare()
    #expect(prepared.survey.cases == 6 && prepared.survey.samples == 12)
    #expect(Array(cases).count == 6)
    #expect(Set(cases.map(\.providerLabel)) == ["echo", "mirror"])
    #expect(prepared.concurrency == 3)
    #expect(phases.contains("suites loaded"))
  }

  @Test func thePlanOverridesTheConfig() throws {
    var plan = try Self.project()
    plan.concurrency = 5
    plan.minPassRate = 0.5
    plan.outputDir = "elsewhere"
    plan.junitProfile = .strict
    let (prepared, _) = try RunPlanner(plan: plan, environment: [:]).prepare()
    #expect(prepared.concurrency == 5 && prepared.gate.minPassRate == 0.5)
    #expect(prepared.outputDir == "elsewhere" && prepared.junitProfile == .strict)
  }

  @Test func filtersAndShardsKeepTheirCases() throws {
    var plan = try Self.project()
    plan.filter = CaseFilter(ids: ["al*", "gamma"])
    let (filtered, cases) = try RunPlanner(plan: plan, environment: [:]).prepare()
    #expect(filtered.survey.cases == 4)
    #expect(Set(cases.compactMap(\.testID)) == ["alpha", "gamma"])
    // The shards of a run partition its cases.
    plan.filter = CaseFilter()
    var ids: [CaseID] = []
    for i in 1...3 {
      plan.shard = Shard("\(i)/3")
      ids += try RunPlanner(plan: plan, environment: [:]).prepare().1.map(\.id)
    }
    #expect(ids.count == 6 && Set(ids).count == 6)
  }

  @Test func aProviderOverrideReplacesEverySuitesProviders() throws {
    var plan = try Self.project(config: "providers:\n  local:\n    id: echo\n    label: local\n")
    plan.providers = ["local"]
    let (prepared, cases) = try RunPlanner(plan: plan, environment: [:]).prepare()
    #expect(prepared.suites.allSatisfy { $0.providers.map(\.label) == ["local"] })
    #expect(Array(cases).count == 3)
    plan.providers = ["locall"]
    #expect {
      _ = try RunPlanner(plan: plan, environment: [:]).prepare()
    } throws: { error in
      "\(error)".contains("--provider 'locall' is neither a provider named in evalgate.yaml")
    }
  }

  @Test func tooManyCasesIsRefusedBeforeExpanding() throws {
    var plan = try Self.project()
    plan.maxCases = 5
    #expect {
      _ = try RunPlanner(plan: plan, environment: [:]).prepare()
    } throws: { error in
      "\(error)".contains("--max-cases")
    }
  }
}
