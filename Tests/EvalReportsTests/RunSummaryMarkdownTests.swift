import EvalCore
import EvalReports
import Foundation
import Testing

struct RunSummaryMarkdownTests {
  @Test func goldenMarkdown() throws {
    try assertSnapshot(
      Array(RunSummaryMarkdown().markdown(try ReportFixtures.withRetrieval()).utf8), named: "summary.md")
  }

  /// 50,000 cases, a third failing with pipes and HTML in their titles and reasons.
  @Test func fiftyThousandCasesStayUnderOneMebibyteAndEveryPipeIsEscaped() throws {
    var report = ReportFixtures.mixed()
    let template = report.cases[1]  // a failed case
    report.cases = CaseList(
      (0..<50_000).map { i in
        var c = template
        c.id = CaseID(rawValue: String(format: "%016x", i))
        c.title = "case | \(i) <b>bold</b> | pipe"
        return c
      })
    let text = RunSummaryMarkdown().markdown(report)
    #expect(text.utf8.count <= VerdictSummary.maxBytes)
    #expect(text.contains("more failures (see results.json)"))
    // In every table row, the only unescaped pipes are the cell separators.
    for line in text.split(separator: "\n") where line.hasPrefix("| case") {
      let unescaped = line.enumerated().filter { i, ch in
        ch == "|" && (i == 0 || line[line.index(line.startIndex, offsetBy: i - 1)] != "\\")
      }
      #expect(unescaped.count == 4, "\(line)")
      #expect(!line.contains("<b>"))
    }
  }

  @Test func codeQualityMarksEachFailureAtItsLine() throws {
    let json = try #require(
      JSONValue.parse(String(decoding: try CodeQualityReport.render(ReportFixtures.mixed()), as: UTF8.self)))
    let issues = try #require(json.arrayValue)
    #expect(issues.count == 3)  // 2 failed, 1 errored in the fixture
    #expect(issues.allSatisfy { $0.value(atPath: ["location", "path"])?.stringValue?.hasPrefix("suites/") == true })
    #expect(Set(issues.compactMap { $0.value(atPath: ["fingerprint"])?.stringValue }).count == 3)
  }
}
