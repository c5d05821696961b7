import EvalCore
import Testing

/// A verdict on fewer paired cases than `minCases` says so in words a newcomer can act on.
struct TooFewPairsTests {
  static func record(_ n: Int, pass: Bool) -> CaseRecord {
    CaseRecord(
      id: CaseID(rawValue: "c\(n)"), suite: "s", title: "case \(n)", provider: "p", file: "s.yaml", line: n,
      samples: [CaseRecord.Sample(index: 0, pass: pass, score: pass ? 1 : 0, latencyMs: 10)])
  }

  @Test func onePairIsTooFewToJudgeAndSaysWhatToDo() {
    var policy = VerdictPolicy()
    let c = Comparison(baseline: [Self.record(1, pass: true)], candidate: [Self.record(1, pass: false)], policy: policy)
    #expect(c.verdict.decision == .hold)
    let reason =
      "critical `pass_rate`: 1 paired case is too few to judge (at least \(policy.minCases): add cases, "
      + "or lower verdict.minCases)"
    #expect(c.verdict.reasons.contains(reason), "\(c.verdict.reasons)")
    // At minCases pairs the metric is judged, and the reason is gone.
    policy.minCases = 1
    let judged = Comparison(
      baseline: [Self.record(1, pass: true)], candidate: [Self.record(1, pass: false)], policy: policy)
    #expect(!judged.verdict.reasons.contains { $0.contains("too few to judge") }, "\(judged.verdict.reasons)")
  }
}
