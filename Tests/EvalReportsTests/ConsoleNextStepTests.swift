import EvalCore
import EvalReports
import Testing

/// The console summary ends with what to type next: why a case failed, or how to bless a green run.
struct ConsoleNextStepTests {
  @Test func aFailureNamesExplainAndAGreenRunNamesBless() throws {
    let mixed = ReportFixtures.mixed()
    let first = try #require(mixed.cases.first { $0.outcome == .failed || $0.outcome == .errored })
    let red = ConsoleSummary(color: false).render(mixed, outputDir: "out")
    #expect(red.contains("\nwhy: evalgate explain \(first.id.rawValue)  (messages, output, every assertion)\n"))
    #expect(!red.contains("next: evalgate baseline accept"))
    let passed = mixed.cases.filter { $0.outcome == .passed }
    #expect(!passed.isEmpty)
    let green = RunReport(
      tool: mixed.tool, startedAt: mixed.startedAt, finishedAt: mixed.finishedAt, interrupted: false,
      settings: mixed.settings, suites: [], cases: passed, gate: Gate())
    let text = ConsoleSummary(color: false).render(green, outputDir: "out")
    #expect(
      text.hasSuffix(
        "next: evalgate baseline accept out/results.json blesses this run; later runs are compared with it\n"))
    #expect(!text.contains("why: evalgate explain"))
    // Compared with a baseline already: nothing to bless.
    var compared = green
    compared.verdict = Comparison(baseline: green.records, candidate: green.records)
    #expect(!ConsoleSummary(color: false).render(compared, outputDir: "out").contains("next: evalgate baseline accept"))
  }
}
