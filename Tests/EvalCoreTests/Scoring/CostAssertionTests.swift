import EvalCore
import Testing

struct CostAssertionTests {
  static func score(_ spec: AssertionSpec, cost: Double?) async throws -> AssertionResult {
    let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    return try #require(await Scorer.score(plan, AssertionInput(output: "x", cost: cost)).results.first)
  }

  @Test(arguments: [(0.004, 0.01, true), (0.01, 0.01, true), (0.0101, 0.01, false)])
  func truthTable(cost: Double, threshold: Double, pass: Bool) async throws {
    #expect(try await Self.score(Harness.spec("cost", threshold: threshold), cost: cost).pass == pass)
    #expect(try await Self.score(Harness.spec("not-cost", threshold: threshold), cost: cost).pass == !pass)
  }

  @Test func anUnknownCostCannotBeChecked() async throws {
    let r = try await Self.score(Harness.spec("cost", threshold: 0.01), cost: nil)
    #expect(r.isError)
    #expect(!r.pass)
  }

  @Test func withoutAThresholdTheCostIsRecordedUnderItsMetric() async throws {
    var spec = Harness.spec("cost")
    spec.metric = "spend"
    let r = try await Self.score(spec, cost: 0.25)
    #expect(r.pass && r.score == 0.25 && r.metric == "spend")
    #expect(Harness.buildError("cost")?.message.contains("'metric'") == true)
    #expect(Harness.buildError("not-cost")?.message.contains("threshold") == true)
  }
}
