import EvalCore
import EvalReports
import Foundation
import Testing

/// Every report states what its total counts, and the three totals of one run (console, junit.xml, verdict)
/// add up from the same units.
struct RunUnitsTests {
  @Test func theThreeTotalsAddUpFromTheUnits() throws {
    let report = try ReportFixtures.withRetrieval()
    let retrieval = try #require(report.retrieval)
    let units = RunUnits(report)
    let measures = retrieval.reduce(0) { $0 + $1.measures.count }
    let queries = retrieval.reduce(0) { $0 + $1.counts.queries }
    #expect(units.promptCases == report.cases.count && units.measures == measures && units.queries == queries)
    #expect(units.fixtures == retrieval.count && units.fixtures > 0)
    // junit.xml's tests attribute is one per case and per measure, and each suite says so.
    let xml = String(decoding: try JUnitReport().render(report), as: UTF8.self)
    #expect(xml.contains("tests=\"\(report.cases.count + measures)\""))
    #expect(xml.contains("name=\"evalgate.units\" value=\"\(units.junitText)\""))
    #expect(units.junitText.hasPrefix("\(report.cases.count + measures) tests: \(report.cases.count) prompt cases + "))
    // The console and the Markdown summary name the prompt cases and the fixture's measures and queries.
    let console = ConsoleSummary(color: false).render(report, outputDir: nil)
    #expect(console.contains("\n\(report.cases.count) prompt cases: "), "\(console)")
    #expect(
      console.contains(
        "\(retrieval.count) retrieval fixture: \(measures) measures over \(queries) queries; junit.xml counts \(units.junitText)\n"
      ))
    let markdown = RunSummaryMarkdown().markdown(report)
    #expect(markdown.contains("\(units.casesText): "))
    #expect(markdown.contains("\(try #require(units.retrievalText)); junit.xml counts \(units.junitText)."))
    // The verdict's pairs: one per prompt case and one per query.
    let comparison = Comparison(baseline: report.records, candidate: report.records)
    #expect(comparison.paired == report.cases.count + queries && comparison.pairedQueries == queries)
    let pairs =
      "\(comparison.paired) of \(comparison.paired) baseline cases paired (\(report.cases.count) prompt "
      + "cases + \(queries) retrieval quer\(queries == 1 ? "y" : "ies"))"
    #expect(VerdictSummary().markdown(comparison).contains(pairs))
    #expect(VerdictSummary.console(comparison, label: "x").contains(pairs))
  }

  @Test func aRunWithoutRetrievalSaysPromptCasesOnly() throws {
    let report = ReportFixtures.mixed()
    let units = RunUnits(report)
    #expect(units.text == "\(report.cases.count) prompt cases" && units.retrievalText == nil)
    #expect(Comparison(baseline: report.records, candidate: report.records).pairedQueries == nil)
    #expect(RunUnits.count(1, "query", plural: "queries") == "1 query")
  }
}
