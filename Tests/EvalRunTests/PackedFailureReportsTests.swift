import EvalCore
import EvalReports
import EvalRun
import Foundation
import Testing

/// A run whose cases failed and errored holds them packed (issue 17: a down endpoint's cases were kept whole);
/// every artifact, the console summary and the gate are what the whole cases give, the reasons the lists print
/// read back from each case's kept line.
struct PackedFailureReportsTests {
  /// `n` cases of an endpoint going down: a few answered (some passing, some failing an assertion beside a
  /// named metric), then connection errors, then the circuit breaker's; titles repeat in pairs so JUnit names
  /// them again with their ids.
  static func results(_ n: Int) -> [CaseResult] {
    let named = AssertionSpec(type: "contains", metric: "tone", location: SourceLocation(file: "s.yaml", line: 7))
    let plain = AssertionSpec(type: "equals", location: SourceLocation(file: "s.yaml", line: 8))
    return (0..<n).map { i in
      var c = CaseFilterTests.evalCase(String(format: "%016x", 0xdead_0000 + i))
      c.title = "case \(i / 2) <&>"
      c.vars = ["n": .number(Double(i))]
      c.messages = [ChatMessage(role: "user", content: "question \(i)")]
      let attempt: AttemptResult
      switch i {
      case ..<4:
        let pass = i % 2 == 0
        attempt = AttemptResult(
          index: 0, outcome: pass ? .passed : .failed, output: "answer \(i)", model: "m", latencyMs: Double(i) + 0.5,
          usage: Usage(promptTokens: 5, completionTokens: 2), score: pass ? 1 : 0.5,
          assertions: [
            AssertionResult(spec: named, outcome: .init(pass: true, score: 1, reason: "has the tone"), children: []),
            AssertionResult(
              spec: plain,
              outcome: .init(pass: pass, score: pass ? 1 : 0, reason: pass ? "equal" : "expected 'x \(i)'"),
              children: []),
          ])
      case ..<10:
        attempt = AttemptResult(
          index: 0, outcome: .errored, latencyMs: 2.25, retries: 2,
          error: ProviderError(.connection, "connection refused (127.0.0.1:1)"))
      default:
        attempt = AttemptResult(
          index: 0, outcome: .errored, latencyMs: 0,
          error: ProviderError(.unreachable, "local-llm unreachable at http://127.0.0.1:1/v1 (5 failures in a row)"))
      }
      return CaseResult(case: c, attempts: [attempt])
    }
  }

  static func report(_ cases: CaseList, verdictOver all: [CaseResult]) -> RunReport {
    // The cases' suite is the report's: junit.xml and report.html list a suite's cases.
    var report = RunReport(
      tool: .init(name: "evalgate", version: "test"), startedAt: Date(timeIntervalSince1970: 0),
      finishedAt: Date(timeIntervalSince1970: 1), interrupted: false, settings: .init(concurrency: 1, timeoutMs: 1000),
      suites: [Suite(id: "s", file: "s.yaml", prompts: [], providers: [], tests: [])], cases: cases, gate: Gate())
    // The baseline passed every case: the failing ones regressed (JUnit and report.html render them again).
    let passing = all.map { c -> CaseRecord in
      var r = CaseRecord(c)
      r.samples = r.samples.map { s in
        var s = s
        (s.pass, s.error, s.latencyMs, s.score) = (true, nil, 1, 1)
        return s
      }
      return r
    }
    report.verdict = Comparison(baseline: passing, candidate: report.records)
    return report
  }

  @Test func reportsOfPackedFailuresAreTheReportsOfTheWholeCases() async throws {
    let dir = try RunExecutorTests.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let all = Self.results(60)
    let reporters = RunReporters.standard(outputDir: dir, junit: JUnitReport(profile: .rich, hostname: "h"))
    let stream = ResultsStream(reporters: reporters, scratch: dir, compact: true)
    for r in all.reversed() {
      await stream.append(r)
      await stream.collect(r)
    }
    var cases = await stream.casesInReportOrder()
    let finisher = await stream.finisher()
    // As `evalgate run` does: a compacted case is read back whole from its line where a report lists it.
    let fragments = finisher.fragments
    cases.wholeReader = { fragments.whole($0) }
    #expect(cases.isPacked)
    // Nothing kept whole: the failed and errored cases are packed too.
    #expect(cases.count { $0.vars.isEmpty } == all.count)
    let report = Self.report(cases, verdictOver: all)
    try await finisher.finish(report, outputDir: dir)

    var whole = CaseList.Builder()
    for r in all { whole.append(r, compact: false) }
    whole.sortInReportOrder(suiteOrder: [:])
    let wholeReport = Self.report(whole.take(), verdictOver: all)
    #expect(report.gate == wholeReport.gate)
    #expect(report.summary == wholeReport.summary)
    #expect(report.providers == wholeReport.providers)
    #expect(report.verdict?.regressions.count == wholeReport.verdict?.regressions.count)
    #expect((report.verdict?.regressions.count ?? 0) > 50)

    let summary = try ArtifactsOnDisk.expectRendered(from: wholeReport, in: dir)
    #expect(summary.contains("x 1"))
    let quality = try Data(contentsOf: URL(fileURLWithPath: dir + "/gl-code-quality.json"))
    #expect(Array(quality) == (try CodeQualityReport.render(wholeReport)))
    // The console lists the failures with their reasons (an assertion's, read back from the line).
    let console = ConsoleSummary(color: false)
    #expect(console.render(report, outputDir: dir) == console.render(wholeReport, outputDir: dir))
    #expect(console.render(report, outputDir: dir).contains("equals: expected 'x 1'"))
  }

  /// `n` cases of a run stopped part way (the first 12 of ``results(_:)`` ran), then the budget ran out: one call
  /// in flight was cut short (its sample cancelled; it reached results.jsonl), and the others never ran, the
  /// first of them stopped by the budget, the rest by an interrupt; each has vars, messages, a test id and tags.
  static func stopped(_ n: Int) -> (ran: [CaseResult], notRun: [CaseResult]) {
    let ran = Array(results(12))
    let notRun = (12..<n).map { i in
      var c = CaseFilterTests.evalCase(
        String(format: "%016x", 0xdead_0000 + i), testID: "t\(i)", tags: i % 3 == 0 ? ["must-pass", "x"] : ["x"])
      c.title = "case \(i / 2) <&>"
      c.vars = ["n": .number(Double(i))]
      c.messages = [ChatMessage(role: "user", content: "question \(i)")]
      if i == 12 {
        let cut = AttemptResult(
          index: 0, outcome: .skipped, latencyMs: 5_000, error: ProviderError(.cancelled, "cancelled by the interrupt"))
        return CaseResult(case: c, attempts: [cut])
      }
      let reason = i < 30 ? "budget reached: $0.01 ≥ --max-cost 0.01" : "run interrupted before this case ran"
      return CaseResult(
        case: c, attempts: [AttemptResult(index: 0, outcome: .skipped, latencyMs: 0)], skipReason: reason)
    }
    return (ran, notRun)
  }

  @Test func reportsOfPackedSkippedCasesAreTheReportsOfTheWholeCases() async throws {
    let dir = try RunExecutorTests.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let (ran, notRun) = Self.stopped(80)
    let all = ran + notRun
    let reporters = RunReporters.standard(outputDir: dir, junit: JUnitReport(profile: .rich, hostname: "h"))
    let stream = ResultsStream(reporters: reporters, scratch: dir, compact: true)
    // As the runner hands them over: the cases that ended (the cut one too) finished, then the rest collected.
    for r in ran + notRun.prefix(1) {
      await stream.append(r)
      await stream.collect(r)
    }
    for r in notRun.dropFirst() { await stream.collect(r) }
    var cases = await stream.casesInReportOrder()
    let finisher = await stream.finisher()
    let fragments = finisher.fragments
    cases.wholeReader = { fragments.whole($0) }
    // Nothing kept whole: the skipped cases are packed, and read back whole from their kept lines.
    #expect(cases.isPacked)
    #expect(cases.count { $0.vars.isEmpty && $0.testID == nil } == all.count)
    #expect(
      cases.filter { $0.outcome == .skipped }.map(cases.whole)
        == all.filter { $0.outcome == .skipped }.sorted {
          $0.id.rawValue < $1.id.rawValue
        })
    var report = Self.report(cases, verdictOver: all)
    report.interrupted = true
    try await finisher.finish(report, outputDir: dir)

    var whole = CaseList.Builder()
    for r in all { whole.append(r, compact: false) }
    whole.sortInReportOrder(suiteOrder: [:])
    var wholeReport = Self.report(whole.take(), verdictOver: all)
    wholeReport.interrupted = true
    #expect(report.gate == wholeReport.gate)
    #expect(report.gate.reason == "could not evaluate: budget reached: $0.01 ≥ --max-cost 0.01; 68 cases skipped")
    #expect(report.summary == wholeReport.summary)
    #expect(report.providers == wholeReport.providers)
    #expect(report.records == wholeReport.records)

    let summary = try ArtifactsOnDisk.expectRendered(from: wholeReport, in: dir)
    #expect(summary.contains("68"))
    let quality = try Data(contentsOf: URL(fileURLWithPath: dir + "/gl-code-quality.json"))
    #expect(Array(quality) == (try CodeQualityReport.render(wholeReport)))
    let console = ConsoleSummary(color: false)
    #expect(console.render(report, outputDir: dir) == console.render(wholeReport, outputDir: dir))
    let xml = try String(contentsOfFile: dir + "/junit.xml", encoding: .utf8)
    #expect(xml.contains("run interrupted before this case ran") && xml.contains("t79"))
    // results.jsonl holds the cases that ended, not the ones that never ran (`--resume` runs them).
    let lines = try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(lines.count == ran.count + 1)
    #expect(!lines.contains { $0.contains("run interrupted") || $0.contains("budget reached") })
  }
}
