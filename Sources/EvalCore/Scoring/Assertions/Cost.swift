import Foundation

/// `cost`: the call cost at most `threshold` US dollars, as promptfoo's. Without a threshold it needs a
/// `metric` and records the cost as its score, always passing. A cost that is not known (no price for the
/// model, or no token counts in the answer) cannot be checked: the assertion errors, as promptfoo's does.
public struct Cost: Assertion {
  let maxDollars: Double?

  /// Builds from a spec with a `threshold` in US dollars, or a `metric` to record the cost under.
  public init(_ spec: AssertionSpec) throws {
    maxDollars = spec.threshold
    if spec.threshold == nil {
      if spec.negated { throw Diagnostic("'not-cost' needs a 'threshold' (maximum US dollars)") }
      guard spec.metric != nil else {
        throw Diagnostic(
          "'cost' needs a 'threshold' (maximum US dollars), or a 'metric' to record the cost under")
      }
    }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let cost = input.cost else {
      return .errored(
        "the cost of this call is not known (no price for the model, or no token counts in the answer); set the "
          + "provider's 'cost: {input, output}'", kind: .configuration)
    }
    let shown = "$" + String(format: "%.6f", cost)
    guard let maxDollars else { return AssertionOutcome(pass: true, score: cost, reason: "cost \(shown)") }
    let pass = cost <= maxDollars
    return AssertionOutcome(
      pass: pass, reason: "cost \(shown) \(pass ? "≤" : ">") threshold $\(JSONValue.format(maxDollars))")
  }
}
