import Foundation

/// `levenshtein`: the edit distance between output and value, counted in Unicode scalars (code points, as
/// Python's `Levenshtein.distance`), is at most `threshold` (default 5). Outputs whose length differs from the
/// value's by more than the threshold fail at once; very long texts are compared only within the threshold
/// (``EditDistance/levenshtein(_:_:limit:)``).
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

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome { outcome(input.output) }

  func outcome(_ output: String) -> AssertionOutcome {
    // Distances are whole numbers: at most 2.5 is at most 2. Thresholds past any text's length are clamped.
    let limit = maxDistance >= Double(Int32.max) ? Int(Int32.max) : Int(maxDistance.rounded(.down))
    let threshold = JSONValue.format(maxDistance)
    let target = excerpt(expected)
    switch EditDistance.levenshtein(output, expected, limit: limit) {
    case .distance(let d):
      let pass = d <= limit
      return AssertionOutcome(pass: pass, reason: "edit distance \(d) \(pass ? "≤" : ">") \(threshold) to \(target)")
    case .exceeds(let atLeast):
      return AssertionOutcome(pass: false, reason: "edit distance ≥ \(atLeast) > \(threshold) to \(target)")
    case .tooLong(let shorter, let longer):
      return .errored(
        "edit distance not computed: the texts differ over \(shorter) and \(longer) Unicode scalars, "
          + "too many for a threshold of \(threshold); to \(target)")
    }
  }
}
