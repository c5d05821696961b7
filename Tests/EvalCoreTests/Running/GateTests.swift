import EvalCore
import Testing

struct GateTests {
  static func summary(passed: Int, failed: Int, errored: Int, skipped: Int = 0) throws -> RunSummary {
    var results: [CaseResult] = []
    let c = try RunnerTests.cases(1)[0]
    func add(_ n: Int, _ outcome: Outcome) {
      for _ in 0..<n {
        results.append(CaseResult(case: c, attempts: [AttemptResult(index: 0, outcome: outcome, latencyMs: 1)]))
      }
    }
    add(passed, .passed)
    add(failed, .failed)
    add(errored, .errored)
    add(skipped, .skipped)
    return RunSummary(results)
  }

  @Test func defaultGateNeedsEveryCase() throws {
    #expect(Gate().decide(try Self.summary(passed: 10, failed: 0, errored: 0)).status == .passed)
    #expect(Gate().decide(try Self.summary(passed: 9, failed: 1, errored: 0)).status == .failed)
    #expect(Gate().decide(try Self.summary(passed: 9, failed: 0, errored: 1)).status == .failed)
  }

  @Test func minPassRateCountsErrorsAgainstTheGate() throws {
    let gate = Gate(minPassRate: 0.9)
    #expect(gate.decide(try Self.summary(passed: 9, failed: 1, errored: 0)).status == .passed)
    let d = gate.decide(try Self.summary(passed: 8, failed: 1, errored: 1))
    #expect(d.status == .failed)
    #expect(d.passRate == 0.8)
  }

  @Test func skippedCasesDoNotCount() throws {
    #expect(Gate().decide(try Self.summary(passed: 3, failed: 0, errored: 0, skipped: 5)).status == .passed)
  }

  @Test func allErroredCannotBeEvaluated() throws {
    let d = Gate().decide(try Self.summary(passed: 0, failed: 0, errored: 4))
    #expect(d.status == .couldNotEvaluate)
    #expect(d.reason.contains("all 4 cases errored"))
    #expect(Gate().decide(try Self.summary(passed: 0, failed: 0, errored: 0)).status == .couldNotEvaluate)
  }
}
