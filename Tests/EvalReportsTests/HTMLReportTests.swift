import EvalCore
import EvalReports
import Foundation
import Testing

/// report.html: escaped everywhere, golden, and (where Chromium is installed, as `.ci/run` does) loaded in
/// a headless browser with hostile model output: our script runs, no injected script does.
struct HTMLReportTests {
  static let hostile: [String] = [
    "<script>document.title='PWNED'</script>",
    "</textarea></pre><script>document.title='PWNED'</script>",
    "<img src=x onerror=\"document.title='PWNED'\">",
    "<a href=\"javascript:document.title='PWNED'\">click</a>",
    "\"><svg onload=document.title='PWNED'>",
    String(repeating: "a very long line without breaks ", count: 3000),
    ReportFixtures.hostile,
  ]

  static func hostileReport() throws -> RunReport {
    var report = try ReportFixtures.withRetrieval()
    for (i, text) in Self.hostile.enumerated() {
      var c = report.cases[1]
      c.id = CaseID(rawValue: String(format: "%016x", 100 + i))
      c.title = text
      c.attempts[0].output = text
      report.cases.append(c)
    }
    return report
  }

  @Test func hostileTextIsEscapedEverywhere() throws {
    let html = HTMLReport().render(try Self.hostileReport())
    #expect(!html.contains("<script>document.title"))
    #expect(!html.contains("<img src=x"))
    #expect(!html.contains("<svg onload"))
    #expect(!html.contains("href=\"javascript:"))
    #expect(html.components(separatedBy: "<script>").count == 2)  // ours only
    #expect(html.contains("&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"))
    #expect(html.contains("Content-Security-Policy") && !html.contains("http://") && !html.contains("https://"))
  }

  @Test func aVerdictAddsItsBannerMetricsAndBaselineBars() throws {
    var report = ReportFixtures.mixed()
    report.verdict = Comparison(baseline: report.records, candidate: report.records)
    let html = HTMLReport().render(report)
    #expect(html.contains("id=\"verdict\"") && html.contains("<h2>Metrics</h2>"))
    #expect(html.contains("Pass rate per suite: baseline, candidate") && html.contains("support · base"))
  }

  /// Rows rendered during the run give the same page; a case the comparison flags is rendered again.
  @Test func rowsRenderedAheadGiveTheSamePage() throws {
    var report = ReportFixtures.mixed()
    var rows = Dictionary(uniqueKeysWithValues: report.cases.map { ($0.id, HTMLReport.caseRow($0)) })
    #expect(HTMLReport().render(report, rows: rows) == HTMLReport().render(report))
    let first = try #require(report.cases.first)
    rows[first.id] = "<tr data-flags=\"ahead\"></tr>\n"
    #expect(HTMLReport().render(report, rows: rows).contains("data-flags=\"ahead\""))
    // Flagged by the baseline comparison: the row written ahead is not used.
    let baseline = report.records.map { r in
      var r = r
      r.id = CaseID(rawValue: "gone-" + r.id.rawValue)
      return r
    }
    report.verdict = Comparison(baseline: baseline, candidate: report.records)
    let flagged = HTMLReport().render(report, rows: rows)
    #expect(!flagged.contains("data-flags=\"ahead\""))
    #expect(flagged.contains("data-flags=\"\(first.outcome.rawValue) new\""))
  }

  @Test func golden() throws {
    try assertSnapshot(Array(HTMLReport().render(try ReportFixtures.withRetrieval()).utf8), named: "report.html")
  }

  static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  @Test(
    .enabled(
      if: Self.chromium != nil, "needs Chromium (apt-get install chromium; .ci/run installs it); not found, skipped"))
  func headlessChromiumRunsOurScriptAndNoInjectedOne() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent(".build/test-artifacts")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let page = dir.appendingPathComponent("hostile-report.html")
    try Data(HTMLReport().render(try Self.hostileReport()).utf8).write(to: page)
    func chromium(_ extra: [String]) throws -> (String, String) {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: Self.chromium ?? "")
      p.arguments =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0"]
        + extra + [page.absoluteString]
      let out = Pipe()
      let err = Pipe()
      p.standardOutput = out
      p.standardError = err
      try p.run()
      let o = out.fileHandleForReading.readDataToEndOfFile()
      let e = err.fileHandleForReading.readDataToEndOfFile()
      p.waitUntilExit()
      return (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
    let (dom, log) = try chromium(["--dump-dom"])
    #expect(dom.contains("data-ready=\"yes\""), "our script did not run")
    #expect(dom.contains("<title>evalgate report</title>"), "an injected script changed the title")
    #expect(
      !log.contains("Uncaught"), "console errors: \(log.split(separator: "\n").filter { $0.contains("CONSOLE") })")
    _ = try chromium(["--screenshot=\(dir.appendingPathComponent("report.png").path)", "--window-size=1280,2400"])
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("report.png").path))
  }
}
