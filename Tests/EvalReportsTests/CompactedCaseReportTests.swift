import EvalCore
import EvalReports
import Foundation
import Testing

/// A large run holds its passing cases compacted once their pieces are written (`CaseResult.compacted()`);
/// the reports made from them, with the pieces and the cases read back whole from their results.json lines,
/// are the reports made from the whole cases.
struct CompactedCaseReportTests {
  /// 120 cases, half passing; titles repeat in pairs (so JUnit names them again with their ids), and the
  /// baseline lacks every tenth case (new: report.html renders their rows again with the flag).
  static func report() -> RunReport {
    var report = PiecewiseReportTests.large(120)
    for i in report.cases.indices {
      report.cases[i].title = "case \(i / 2) <&>"
      report.cases[i].metadata = ["row": .number(Double(i))]
      report.cases[i].attempts[0].assertions.append(
        AssertionResult(
          spec: AssertionSpec(
            type: "assert-set", metric: "quality", location: SourceLocation(file: "x.yaml", line: 4)),
          outcome: AssertionOutcome(pass: true, score: Double(i % 5) / 4, reason: "set"),
          children: [
            AssertionResult(
              spec: AssertionSpec(type: "equals", metric: "exact", location: SourceLocation(file: "x.yaml", line: 5)),
              outcome: AssertionOutcome(pass: true, score: 1, reason: "equal"), children: [])
          ]))
    }
    let records = report.records
    report.verdict = Comparison(
      baseline: records.enumerated().filter { $0.offset % 10 != 0 }.map(\.element), candidate: records)
    return report
  }

  /// What the run does: each case's pieces as it finishes, the passing ones held compacted.
  static func compacted(_ report: RunReport) throws -> (
    RunReport, junit: [CaseID: JUnitReport.Fragment], rows: [CaseID: String], lines: [CaseID: [UInt8]]
  ) {
    let renderer = try JUnitCaseRenderer(JUnitReport(profile: .rich))
    var junit: [CaseID: JUnitReport.Fragment] = [:]
    var rows: [CaseID: String] = [:]
    var lines: [CaseID: [UInt8]] = [:]
    var held = report
    for (i, c) in report.cases.enumerated() {
      junit[c.id] = try renderer.fragment(c, manyPrompts: false)
      rows[c.id] = HTMLReport.caseRow(c)
      lines[c.id] = try JSONReport.line(c)
      if c.outcome == .passed { held.cases[i] = c.compacted() }
    }
    held.verdict = report.verdict
    return (held, junit, rows, lines)
  }

  /// A case whole again from its results.json line, as `evalgate run` reads it back.
  static func whole(_ lines: [CaseID: [UInt8]]) -> (CaseResult) -> CaseResult {
    { c in
      lines[c.id].flatMap { try? JSONDecoder().decode(CaseResult.self, from: Data($0)) } ?? c
    }
  }

  @Test func aCaseReadBackFromItsLineIsTheCase() throws {
    for c in Self.report().cases {
      #expect(try JSONDecoder().decode(CaseResult.self, from: Data(try JSONReport.line(c))) == c)
    }
  }

  @Test func compactingDropsWhatOnlyTheCasePiecesShow() {
    let c = Self.report().cases[0]
    let held = c.compacted()
    #expect(held.vars.isEmpty && held.messages.isEmpty && held.metadata.isEmpty)
    #expect(held.attempts[0].output == nil)
    // The named metrics stay, flattened, without their reasons; the plain `contains` goes.
    #expect(held.attempts[0].assertions.map(\.metric) == ["quality", "exact"])
    #expect(held.attempts[0].assertions.allSatisfy { $0.reason.isEmpty && $0.children == nil })
    #expect(held.id == c.id && held.title == c.title && held.outcome == c.outcome && held.score == c.score)
  }

  @Test func totalsRecordsAndMetricsAreTheSame() throws {
    let report = Self.report()
    let (held, _, _, _) = try Self.compacted(report)
    #expect(RunSummary(held.cases) == RunSummary(report.cases))
    #expect(RunSummary(report.cases).metrics == ["exact": 1, "quality": 0.5])
    #expect(ProviderStats.collect(held.cases) == ProviderStats.collect(report.cases))
    #expect(held.records == report.records)
    #expect(DerivedMetric.namedScores(held.cases) == DerivedMetric.namedScores(report.cases))
  }

  @Test func reportsFromCompactedCasesAreTheReportsOfTheWholeCases() throws {
    let report = Self.report()
    let (held, junit, rows, lines) = try Self.compacted(report)
    let whole = Self.whole(lines)

    let expectedXML = try JUnitReport(profile: .rich).render(report)
    var xml: [UInt8] = []
    try JUnitReport(profile: .rich).write(held, fragment: { junit[$0] }, whole: whole) { xml += $0 }
    #expect(xml == expectedXML)
    #expect(String(decoding: xml, as: UTF8.self).contains("case 0 &lt;&amp;&gt; [model-a] ("))  // named again

    let expectedPage = HTMLReport().render(report)
    var page = ""
    HTMLReport().write(held, row: { rows[$0] }, whole: whole) { page += $0 }
    #expect(page == expectedPage)
    #expect(page.contains("answer 0"))  // a new passing case's row, rendered again with its output

    var expectedJSON: [UInt8] = []
    try JSONReport.write(report, encoded: { _ in nil }) { expectedJSON += $0 }
    var json: [UInt8] = []
    try JSONReport.write(held, encoded: { _ in nil }, whole: whole) { json += $0 }
    #expect(json == expectedJSON)
  }
}
