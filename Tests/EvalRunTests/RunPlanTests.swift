import EvalCore
import EvalRun
import Testing

/// The flags' values a person can get wrong, checked once as the plan is built.
struct RunPlanTests {
  @Test func aPlanWithDefaultsIsInRange() throws {
    try RunPlan().checkRanges()
    #expect(RunPlan().cache == nil && !RunPlan().noBaseline && RunPlan().filter.isEmpty)
  }

  @Test func theFirstValueOutOfRangeIsNamed() {
    var plan = RunPlan()
    plan.minPassRate = 1.5
    #expect(throws: RunPlan.InvalidFlag("--min-pass-rate must be between 0 and 1")) { try plan.checkRanges() }
    plan.concurrency = 0
    #expect(throws: RunPlan.InvalidFlag("--concurrency must be at least 1")) { try plan.checkRanges() }
    plan.concurrency = 4
    plan.repeatCount = 0
    #expect(throws: RunPlan.InvalidFlag("--repeat must be at least 1")) { try plan.checkRanges() }
    plan.repeatCount = 2
    plan.maxRetries = -1
    #expect(throws: RunPlan.InvalidFlag("--max-retries must be 0 or more")) { try plan.checkRanges() }
    plan.maxRetries = 0
    plan.minPassRate = 0
    plan.maxCost = 0
    #expect(throws: RunPlan.InvalidFlag("--max-cost must be positive")) { try plan.checkRanges() }
    plan.maxCost = 0.5
    plan.maxTokens = -3
    #expect(throws: RunPlan.InvalidFlag("--max-tokens must be positive")) { try plan.checkRanges() }
    plan.maxTokens = 1
    #expect(throws: Never.self) { try plan.checkRanges() }
  }

  @Test func flagTextIsParsedOnce() throws {
    #expect(try RunPlan.shard("2/4") == Shard("2/4"))
    #expect(try RunPlan.timeout("500ms") == .milliseconds(500))
    #expect(try RunPlan.cacheTTL("12h") == .seconds(12 * 3600))
    #expect(throws: RunPlan.InvalidFlag("--shard must look like 2/4 (1 ≤ i ≤ n)")) { try RunPlan.shard("5/4") }
    #expect(throws: RunPlan.InvalidFlag("--timeout must look like 30s, 500ms or 2m")) { try RunPlan.timeout("soon") }
    #expect(throws: RunPlan.InvalidFlag("--cache-ttl must look like 14d, 12h or 30m")) { try RunPlan.cacheTTL("x") }
  }
}
