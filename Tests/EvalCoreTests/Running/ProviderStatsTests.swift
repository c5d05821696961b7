import EvalCore
import Testing

struct ProviderStatsTests {
  @Test func percentilesErrorsAndRetriesPerProvider() throws {
    let c = try RunnerTests.cases(1)[0]
    var b = c
    b.providerLabel = "b"
    var results: [CaseResult] = []
    for ms in 1...100 {
      results.append(
        CaseResult(
          case: c, attempts: [AttemptResult(index: 0, outcome: .passed, latencyMs: Double(ms), retries: ms % 2)]))
    }
    results.append(
      CaseResult(
        case: c,
        attempts: [
          AttemptResult(
            index: 0, outcome: .errored, latencyMs: 5, retries: 3, error: ProviderError(.http, "x", status: 503))
        ]))
    results.append(
      CaseResult(
        case: b,
        attempts: [AttemptResult(index: 0, outcome: .errored, latencyMs: 1, error: ProviderError(.timeout, "t"))]))
    let stats = ProviderStats.collect(results)
    #expect(stats.map(\.provider) == ["counting", "b"])
    let a = stats[0]
    #expect(a.samples == 101)
    #expect(a.latencyP50Ms == 50)
    #expect(a.latencyP90Ms == 90)
    #expect(a.latencyP99Ms == 99)
    #expect(a.errors == 1)
    #expect(a.errorsByType == ["http_503": 1])
    #expect(a.retries == 50 + 3)
    #expect(stats[1].errorRate == 1)
    #expect(stats[1].latencyP50Ms == nil)
  }
}
