import Foundation

/// Scores one output against a ``ScoringPlan``: applies `not-`, weights, `assert-set` thresholds and the
/// test threshold, with promptfoo's semantics (see docs/assertions.md).
public enum Scorer {
  /// The scored result of a whole plan.
  public struct Verdict: Sendable, Hashable {
    /// Whether the sample passed.
    public var pass: Bool
    /// The weighted score in 0…1.
    public var score: Double
    /// One result per top-level item.
    public var results: [AssertionResult]
  }

  /// Scores `input` against `plan`.
  public static func score(_ plan: ScoringPlan, _ input: AssertionInput) async -> Verdict {
    var results: [AssertionResult] = []
    results.reserveCapacity(plan.items.count)
    for item in plan.items { results.append(await score(item, input)) }
    let (pass, score) = combine(results, threshold: plan.threshold)
    return Verdict(pass: pass, score: score, results: results)
  }

  private static func score(_ item: ScoringPlan.Item, _ input: AssertionInput) async -> AssertionResult {
    let spec = item.spec
    switch item.kind {
    case .single(let assertion):
      var outcome = await assertion.evaluate(input)
      if spec.negated {
        outcome = AssertionOutcome(
          pass: !outcome.pass, score: 1 - outcome.score,
          reason: outcome.pass ? "expected not: \(outcome.reason)" : "not: \(outcome.reason)")
      }
      return AssertionResult(spec: spec, outcome: outcome, children: [])
    case .set(let items):
      var children: [AssertionResult] = []
      for child in items { children.append(await score(child, input)) }
      let (pass, score) = combine(children, threshold: spec.threshold)
      let failed = children.filter { !$0.pass }.count
      let reason =
        pass
        ? "\(children.count - failed)/\(children.count) passed"
        : spec.threshold.map { "score \(format(score)) < threshold \(format($0))" }
          ?? "\(failed)/\(children.count) failed"
      return AssertionResult(
        spec: spec, outcome: AssertionOutcome(pass: pass, score: score, reason: reason), children: children)
    }
  }

  /// Weighted mean of scores (weight 0 is left out) and the pass rule: threshold if given, else all pass.
  static func combine(_ results: [AssertionResult], threshold: Double?) -> (Bool, Double) {
    let counted = results.filter { $0.weight > 0 }
    let totalWeight = counted.reduce(0) { $0 + $1.weight }
    let score = totalWeight > 0 ? counted.reduce(0) { $0 + $1.score * $1.weight } / totalWeight : 1
    if let threshold { return (score >= threshold - 1e-12, score) }
    return (counted.allSatisfy(\.pass), score)
  }

  static func format(_ x: Double) -> String {
    let rounded = (x * 1000).rounded() / 1000
    return JSONValue.format(rounded)
  }
}
