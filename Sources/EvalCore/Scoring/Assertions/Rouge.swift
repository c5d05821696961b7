import Foundation

/// `rouge-1`, `rouge-2`, `rouge-l` (and `rouge-n`, promptfoo's name, as ROUGE-1): the F-measure of the
/// output against the reference in `value` (a list: the best of them) is at least `threshold` (default
/// 0.75), computed as Google's `rouge-score` does (``TextMetrics``). The score is the F-measure.
public struct Rouge: Assertion {
  let references: [String]
  let variant: String
  let minimum: Double

  /// The default minimum F-measure.
  public static let defaultThreshold = 0.75

  /// Builds from a spec with a reference (or a list of them) and an optional `threshold` in 0…1.
  public init(_ spec: AssertionSpec) throws {
    references = try spec.referenceTexts()
    variant = spec.type == "rouge-n" ? "rouge-1" : spec.type
    minimum = try spec.unitThreshold(default: Rouge.defaultThreshold)
  }

  func score(_ output: String, _ reference: String) -> Double {
    switch variant {
    case "rouge-2": TextMetrics.rougeN(2, prediction: output, reference: reference)
    case "rouge-l": TextMetrics.rougeL(prediction: output, reference: reference)
    default: TextMetrics.rougeN(1, prediction: output, reference: reference)
    }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let best = references.map { score(input.output, $0) }.max() ?? 0
    return TextOverlap.outcome(variant.uppercased(), best, minimum)
  }
}

/// What the overlap metrics share: references from `value`, thresholds in 0…1, and the reason line.
enum TextOverlap {
  static func outcome(_ name: String, _ score: Double, _ minimum: Double) -> AssertionOutcome {
    let pass = score + 1e-12 >= minimum
    return AssertionOutcome(
      pass: pass, score: score,
      reason: "\(name) \(String(format: "%.4f", score)) \(pass ? "≥" : "<") \(JSONValue.format(minimum))")
  }
}

extension AssertionSpec {
  /// The reference text, or a list of them.
  func referenceTexts() throws -> [String] {
    if case .array = value { return try stringListValue() }
    return [try stringValue()]
  }

  /// `threshold` in 0…1, or `fallback`.
  func unitThreshold(default fallback: Double) throws -> Double {
    let t = threshold ?? fallback
    guard (0...1).contains(t) else {
      throw Diagnostic("'\(displayType)' threshold must be between 0 and 1, found \(t)")
    }
    return t
  }
}
