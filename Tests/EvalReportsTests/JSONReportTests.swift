import EvalCore
import EvalReports
import Foundation
import Testing

struct JSONReportTests {
  @Test func golden() throws {
    try assertSnapshot(try JSONReport.render(ReportFixtures.mixed()), named: "results.json")
  }

  @Test func preEncodedCasesGiveTheSameBytes() throws {
    let report = ReportFixtures.mixed()
    var encoded: [CaseID: [UInt8]] = [:]
    for c in report.cases.dropLast() { encoded[c.id] = try JSONReport.line(c) }
    #expect(try JSONReport.render(report, encodedCases: encoded) == JSONReport.render(report))
  }

  @Test func roundTrips() throws {
    let report = ReportFixtures.mixed()
    let back = try JSONReport.decode(try JSONReport.render(report))
    #expect(back.schemaVersion == RunReport.currentSchemaVersion)
    #expect(back.cases == report.cases)
    #expect(back.summary == report.summary)
    #expect(back.gate == report.gate)
  }

  @Test func jsonlLineIsOneCompactLine() throws {
    let line = try JSONReport.line(ReportFixtures.mixed().cases[1])
    #expect(line.last == 0x0A)
    #expect(line.dropLast().contains(0x0A) == false)
    #expect(JSONValue.parse(String(decoding: line, as: UTF8.self))?.value(atPath: ["outcome"]) == "failed")
  }

  @Test func retrievalResultsRoundTrip() throws {
    let report = try ReportFixtures.withRetrieval()
    let back = try JSONReport.decode(try JSONReport.render(report))
    #expect(back.retrieval == report.retrieval)
    #expect(back.gate.status == .failed && back.gate.reason.contains("retrieval: faq: ndcg@3 = 0.4932 < min 0.8"))
    try assertSnapshot(try JSONReport.render(report), named: "results-retrieval.json")
    let text = ConsoleSummary(color: false).render(report, outputDir: nil)
    #expect(text.contains("retrieval faq: ndcg@3 0.4932, mrr@10 0.5  (3 queries, suites/faq.yaml)"), "\(text)")
    #expect(text.contains("✗ faq: ndcg@3 = 0.4932 < min 0.8"))
  }
}

struct ConsoleSummaryTests {
  @Test func golden() throws {
    let text = ConsoleSummary(color: false).render(ReportFixtures.mixed(), outputDir: "reports")
    try assertSnapshot(Array(text.utf8), named: "summary.txt")
  }

  /// `--verbose` lists the passing cases with their prompt where their suite has several, when nothing failed
  /// too (the suites' prompts are read only when a case is listed).
  @Test func passingCasesAreListedWithTheirPromptWhenNothingFailed() throws {
    var report = ReportFixtures.mixed()
    let passed = try #require(report.cases.first { $0.outcome == .passed })
    report.cases = CaseList(
      (0..<2).map { i in
        var c = passed
        c.id = CaseID(rawValue: passed.id.rawValue + "-\(i)")
        c.prompt = "prompt \(i)"
        return c
      })
    var console = ConsoleSummary(color: false)
    console.listPassed = true
    let text = console.render(report, outputDir: nil)
    #expect(text.contains("[prompt prompt 0 · "), "\(text)")
    #expect(text.contains("[prompt prompt 1 · "), "\(text)")
    console.listPassed = false
    #expect(!console.render(report, outputDir: nil).contains("[prompt "))
  }
}

struct TextSanitizerTests {
  @Test func stripsANSIAndReplacesIllegalCharacters() {
    #expect(TextSanitizer.xml("\u{1B}[1;31mred\u{1B}[0m") == "red")
    #expect(TextSanitizer.xml("a\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\b") == "alinkb")
    #expect(TextSanitizer.xml("a\u{0}b\u{FFFE}c\u{7F}") == "a#x00b#xFFFEc#x7F")
    #expect(TextSanitizer.xml("lone \u{1B} esc") == "lone #x1B esc")
    #expect(TextSanitizer.xml("a\r\nb\rc") == "a\nb\nc")
  }

  @Test func lineFoldsNewlinesAndLimits() {
    #expect(TextSanitizer.line("a\nb\tc") == "a b c")
    #expect(TextSanitizer.line(String(repeating: "x", count: 1000), limit: 100).count <= 100)
  }

  @Test func plainTextIsKeptAsIsUpToTheLimit() {
    let ascii = String(repeating: "x", count: 500)
    #expect(TextSanitizer.line(ascii) == ascii)
    #expect(TextSanitizer.line(ascii + "y").contains("…[truncated "))
    #expect(TextSanitizer.xml("tab\tnew\nline & <b>") == "tab\tnew\nline & <b>")
    #expect(TextSanitizer.xml("del\u{7F}") == "del#x7F")
    #expect(TextSanitizer.line("é\tà") == "é à")
    #expect(HTMLReport.escape("plain text\n") == "plain text\n")
    #expect(HTMLReport.escape("it's <b>&\"") == "it&#39;s &lt;b&gt;&amp;&quot;")
    // Controls are shown, never acted on or dropped unseen.
    #expect(HTMLReport.escape("bell\u{07}\u{7F}\u{202E}") == "bell#x07#x7F#x202E")
  }

  @Test func truncateCountsCharactersNotBytes() {
    let text = String(repeating: "é🎉", count: 1000)
    let cut = TextSanitizer.truncate(text, limit: 200)
    #expect(cut.count <= 200)
    #expect(cut.contains("…[truncated "))
  }
}
