import EvalCore
import EvalReports
import EvalTestSupport
import Foundation
import Testing

/// junit.xml and report.html are written in pieces as they are rendered; the pieces make the same document.
struct PiecewiseReportTests {
  /// A run of `n` cases in one suite, half of them failing.
  static func large(_ n: Int) -> RunReport {
    let suite = Suite(id: "big", file: "suites/big.yaml", prompts: [], providers: [], tests: [])
    let results = (0..<n).map { i in
      CaseResult(
        case: ReportFixtures.evalCase(i, suite: "big", title: "case \(i) <&>", line: i + 1),
        attempts: [
          AttemptResult(
            index: 0, outcome: i % 2 == 0 ? .passed : .failed, output: "answer \(i)", latencyMs: Double(i % 97),
            score: i % 2 == 0 ? 1 : 0,
            assertions: [
              i % 2 == 0
                ? ReportFixtures.passedAssertion("contains")
                : ReportFixtures.failedAssertion("contains", "no \"x\" in answer \(i)", line: 7)
            ])
        ])
    }
    return RunReport(
      tool: .init(name: "evalgate", version: "0.1.0"), startedAt: ReportFixtures.started,
      finishedAt: ReportFixtures.finished, interrupted: false, settings: .init(concurrency: 8, timeoutMs: 30_000),
      suites: [suite], cases: results, gate: Gate())
  }

  @Test func junitInPiecesIsTheWholeDocument() throws {
    let report = Self.large(1000)
    var pieces: [[UInt8]] = []
    try JUnitReport(profile: .rich).write(report) { pieces.append($0) }
    #expect(pieces.count >= 4, "written in \(pieces.count) pieces")
    #expect(pieces.allSatisfy { $0.count < 256 * 1024 })
    let xml = pieces.flatMap { $0 }
    #expect(XMLChecker.isWellFormed(xml))
    #expect(XMLChecker.count(xml, "//testcase") == 1000)
    #expect(XMLChecker.count(xml, "//testcase/failure") == 500)
    // With fragments rendered during the run, as `evalgate run` gives them, the document is the same.
    let renderer = try JUnitCaseRenderer(JUnitReport(profile: .rich))
    var fragments: [CaseID: JUnitReport.Fragment] = [:]
    for c in report.cases { fragments[c.id] = try renderer.fragment(c, manyPrompts: false) }
    #expect(try JUnitReport(profile: .rich).render(report, fragments: fragments) == xml)
  }

  @Test func htmlInPiecesIsTheWholePage() {
    let report = Self.large(2000)
    var pieces: [String] = []
    HTMLReport().write(report) { pieces.append($0) }
    #expect(pieces.count >= 3, "written in \(pieces.count) pieces")
    #expect(pieces.joined() == HTMLReport().render(report))
    #expect(pieces.joined().components(separatedBy: "<tr data-flags").count - 1 == 2000)
  }

  @Test func aLargePageShowsEveryFailureAndASampleOfThePasses() {
    let report = Self.large(12_000)
    let page = HTMLReport().render(report)
    let rows = page.components(separatedBy: "<tr data-flags").count - 1
    // 6,000 failures, all shown; 6,000 passes, every 6th shown.
    #expect(rows == 6_000 + 1_000)
    #expect(
      page.contains(
        "6000 cases that did not pass, all shown, and 6000 passing cases, an even sample of 1000 shown (every 6th"))
    #expect(page.contains("<td>case 11999 &lt;"))  // a failure
    #expect(page.contains("<td>case 12 &lt;"))  // the 7th pass, shown
    #expect(!page.contains("<td>case 2 &lt;"))  // the 2nd pass, not
    // Below the limit every case is there and no note.
    var roomy = HTMLReport()
    roomy.caseLimit = 20_000
    let full = roomy.render(report)
    #expect(full.components(separatedBy: "<tr data-flags").count - 1 == 12_000)
    #expect(!full.contains("id=\"sampled\""))
  }
}
