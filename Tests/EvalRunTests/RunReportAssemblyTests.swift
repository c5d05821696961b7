import EvalCore
import EvalRun
import Foundation
import Testing

/// The report of a finished run, assembled in process from a plan and results: its settings, and what it says
/// to the user (notes for skipped suites, retrieval queries without a ranking) as lines, in order.
struct RunReportAssemblyTests {
  static let tool = RunReport.ToolInfo(name: "evalgate", version: "test")

  @Test func theReportTakesThePlansSettingsAndTheRunsResults() throws {
    var plan = try RunPlannerTests.project()
    plan.minPassRate = 0.5
    let (prepared, cases) = try RunPlanner(plan: plan, environment: [:]).prepare()
    let results = cases.map {
      CaseResult(case: $0, attempts: [AttemptResult(index: 0, outcome: .passed, output: "a", latencyMs: 1)])
    }
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let assembly = try RunReportAssembly(
      prepared: prepared, results: CaseList(results), tool: Self.tool, startedAt: start,
      finishedAt: start.addingTimeInterval(2), interrupted: true, repeatOverride: 3,
      endpointFailures: ["zeta": ["q9"], "alpha": ["q1", "q2"], "quiet": []])
    let report = assembly.report
    #expect(report.settings.concurrency == 3)
    #expect(report.settings.repeatOverride == 3)
    #expect(report.gate.minPassRate == 0.5)
    #expect(report.interrupted)
    #expect(report.cases.count == 6)
    #expect(report.suites.map { $0.id } == prepared.suites.map { $0.id })
    #expect(
      assembly.messages == [
        "warning: retrieval alpha: 2 queries got no ranking from the endpoint (scored 0): q1, q2",
        "warning: retrieval zeta: 1 query got no ranking from the endpoint (scored 0): q9",
      ])
  }

  @Test func aSkippedSuiteIsANoteAndARecordedWarning() throws {
    var plan = try RunPlannerTests.project()
    let dir = (try #require(plan.config) as NSString).deletingLastPathComponent
    let local = dir + "/local.yaml"
    try """
    description: needs a server
    requires:
      env: [EVALGATE_TEST_UNSET_VARIABLE]
    prompts: ["hi"]
    providers: [echo]
    tests: [{vars: {}}]
    """.write(toFile: local, atomically: true, encoding: .utf8)
    plan.paths = [dir]  // found in a folder, not named: skipped, not an error
    let (prepared, _) = try RunPlanner(plan: plan, environment: [:]).prepare()
    let assembly = try RunReportAssembly(
      prepared: prepared, results: CaseList(), tool: Self.tool, startedAt: Date(), finishedAt: Date(),
      interrupted: false, repeatOverride: nil)
    let note = try #require(assembly.messages.first)
    #expect(note.hasPrefix("note: suite "))
    #expect(note.contains("EVALGATE_TEST_UNSET_VARIABLE"))
    #expect(assembly.report.warnings?.contains(String(note.dropFirst("note: ".count))) == true)
  }
}
