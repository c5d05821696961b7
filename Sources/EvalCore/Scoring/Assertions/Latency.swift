import Foundation

/// `latency`: the call took at most `threshold` milliseconds (required).
public struct Latency: Assertion {
  let maxMs: Double

  /// Builds from a spec with a `threshold` in milliseconds.
  public init(_ spec: AssertionSpec) throws {
    maxMs = try spec.requiredThreshold("maximum milliseconds")
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let pass = input.latencyMs <= maxMs
    let ms = Int(input.latencyMs.rounded())
    return AssertionOutcome(pass: pass, reason: "latency \(ms) ms \(pass ? "≤" : ">") \(JSONValue.format(maxMs)) ms")
  }
}
