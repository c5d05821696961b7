import EvalCore
import EvalReports
import Testing

/// `evalgate explain`'s page: every assertion with its reason, the outputs, the baseline and the retries.
struct CaseExplanationTests {
  @Test func pageShowsEveryAssertionOutputBaselineAndRetries() {
    let c = CaseResultJSONTests.everything
    let record = CaseRecord(
      id: c.id, suite: c.suite, title: c.title, provider: c.provider, file: c.file, line: c.line,
      samples: [CaseRecord.Sample(index: 0, pass: true, score: 1)])
    let page = CaseExplanation.render(c, baseline: .found(record, source: "baselines/s.json"))
    let lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // Every assertion, nested ones included, with its mark, its line and its reason.
    for a in c.attempts {
      for r in a.assertions + a.assertions.flatMap { $0.children ?? [] } {
        let mark = r.pass ? "✓" : "✗"
        #expect(
          lines.contains { $0.contains("\(mark) \(r.type) (line \(r.line ?? -1)") && $0.hasSuffix(r.reason) },
          "\(r.type): \(page)")
      }
      if let output = a.output {
        #expect(page.contains(output.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")))
      }
      if let error = a.error { #expect(page.contains(error.description)) }
    }
    for m in c.messages { #expect(page.contains("\(m.role): ")) }
    #expect(page.contains("baseline (baselines/s.json): passed 1 of 1 judged sample"))
    #expect(page.contains("it passed in the baseline and fails now: a regression"))
    let total = c.attempts.reduce(0) { $0 + $1.retries }
    #expect(total > 0)
    #expect(lines.contains("retries: \(total) in all"), "\(page)")
    for a in c.attempts where a.retries > 0 {
      #expect(lines.contains { $0.hasPrefix("  sample \(a.index + 1): \(a.retries) failed tries retried") }, "\(page)")
    }
    let errored = c.attempts.first { $0.error != nil }
    #expect(page.contains("server asked to wait") == (errored?.error?.retryAfterMs != nil))
  }

  @Test func missingOrAbsentBaselineIsSaid() {
    let c = CaseResultJSONTests.everything
    #expect(CaseExplanation.render(c, baseline: .missing(source: "b/")).contains("b/): no case with this id"))
    #expect(CaseExplanation.render(c, baseline: .none).contains("baseline: none"))
  }
}
