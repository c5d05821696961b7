import Foundation

/// `levenshtein`: the edit distance between output and value is at most `threshold` (default 5).
public struct Levenshtein: Assertion {
  let expected: String
  let maxDistance: Double

  /// The default maximum distance.
  public static let defaultThreshold = 5.0

  /// Builds from a spec with a string `value` and an optional `threshold`.
  public init(_ spec: AssertionSpec) throws {
    expected = try spec.stringValue()
    maxDistance = spec.threshold ?? Levenshtein.defaultThreshold
    guard maxDistance >= 0 else { throw Diagnostic("'levenshtein' threshold must be ≥ 0") }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let d = EditDistance.levenshtein(input.output, expected)
    let pass = Double(d) <= maxDistance
    return AssertionOutcome(
      pass: pass,
      reason: "edit distance \(d) \(pass ? "≤" : ">") \(JSONValue.format(maxDistance)) to \(excerpt(expected))")
  }
}
