import EvalCore
import EvalReports
import Foundation
import Testing

/// What a run wrote to its output dir, against each report rendered at once from the whole results.
enum ArtifactsOnDisk {
  /// Expects junit.xml, results.json, report.html and summary.md in `dir` to be the bytes each report renders
  /// from `report`; returns summary.md's text.
  @discardableResult
  static func expectRendered(from report: RunReport, in dir: String) throws -> String {
    let xml = try Data(contentsOf: URL(fileURLWithPath: dir + "/junit.xml"))
    #expect(Array(xml) == (try JUnitReport(profile: .rich, hostname: "h").render(report)))
    let json = try Data(contentsOf: URL(fileURLWithPath: dir + "/results.json"))
    #expect(Array(json) == (try JSONReport.render(report)))
    let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
    #expect(html == HTMLReport().render(report))
    let summary = try String(contentsOfFile: dir + "/summary.md", encoding: .utf8)
    #expect(summary == RunSummaryMarkdown().markdown(report))
    return summary
  }
}
