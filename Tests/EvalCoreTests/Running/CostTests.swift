import EvalCore
import EvalTestSupport
import Foundation
import Testing

@Suite(.offThePool) struct CostTests {
  @Test func priceTableMatchesExactlyThenByLongestPrefix() {
    let table = PriceTable(["gpt-4o": Price(input: 2.5, output: 10), "gpt-4o-mini": Price(input: 0.15, output: 0.6)])
    #expect(table.price(for: "gpt-4o") == Price(input: 2.5, output: 10))
    #expect(table.price(for: "gpt-4o-mini-2024-07-18") == Price(input: 0.15, output: 0.6))
    #expect(table.price(for: "gpt-4o-2024-08-06") == Price(input: 2.5, output: 10))
    #expect(table.price(for: "llama-3") == nil)
    #expect(table.merging(["llama-3": Price(input: 0, output: 0)]).price(for: "llama-3") != nil)
  }

  @Test func costNeedsBothTokenCounts() {
    let price = Price(input: 2, output: 8)
    #expect(price.cost(of: Usage(promptTokens: 1_000_000, completionTokens: 500_000)) == 6)
    #expect(price.cost(of: Usage(promptTokens: 10)) == nil)
    #expect(price.cost(of: nil) == nil)
  }

  struct Metered: Provider {
    let label = "metered"
    func complete(_ request: CompletionRequest) async throws -> Completion {
      Completion(text: "ok", usage: Usage(promptTokens: 100, completionTokens: 50))
    }
  }

  @Test func budgetStopsNewCallsAndSkipsTheRestWithTheReason() async throws {
    var runner = Runner(concurrency: 1, timeout: .seconds(5))
    runner.prices = ["k": Price(input: 1000, output: 2000)]  // $0.2 per call
    runner.budget = Budget(maxCost: 0.5)
    let results = await runner.run(try RunnerTests.cases(10), providers: ["k": Metered()])
    #expect(results.filter { $0.outcome == .passed }.count == 3)
    #expect(results.filter { $0.outcome == .skipped }.count == 7)
    #expect(results.last?.skipReason == "budget reached: cost $0.6000 ≥ --max-cost $0.5000")
    #expect(results[0].attempts[0].cost == 0.2)
    let report = RunReport(
      tool: .init(name: "t", version: "0"), startedAt: Date(), finishedAt: Date(), interrupted: false,
      settings: .init(concurrency: 1, timeoutMs: 1000), suites: [], cases: results, gate: Gate())
    #expect(report.gate.status == .couldNotEvaluate)
    #expect(report.gate.reason.contains("budget reached"))
    #expect(abs((report.summary.cost ?? 0) - 0.6) < 1e-9)
  }

  @Test func tokenBudget() async throws {
    var runner = Runner(concurrency: 1, timeout: .seconds(5))
    runner.budget = Budget(maxTokens: 300)
    let results = await runner.run(try RunnerTests.cases(5), providers: ["k": Metered()])
    #expect(results.filter { $0.outcome == .passed }.count == 2)
    #expect(results.last?.skipReason == "budget reached: 300 tokens ≥ --max-tokens 300")
    #expect(results[0].attempts[0].cost == nil)
  }
}
