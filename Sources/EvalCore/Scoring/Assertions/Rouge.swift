import Foundation

/// `rouge-1`, `rouge-2`, `rouge-l` (and `rouge-n`, promptfoo's name, as ROUGE-1): the F-measure of the
/// output against the reference in `value` (a list: the best of them) is at least `threshold` (default
/// 0.75), computed as Google's `rouge-score` does (``TextMetrics``; with a list, as its `score_multi`). The score
/// is the F-measure. ROUGE-L of texts too long to compare within ``EditDistance/stepLimit`` fails, saying so.
public struct Rouge: Assertion {
  let overlap: ReferenceOverlap

  /// The default minimum F-measure.
  public static let defaultThreshold = 0.75

  /// Builds from a spec with a reference (or a list of them) and an optional `threshold` in 0…1.
  public init(_ spec: AssertionSpec) throws {
    let variant = spec.type == "rouge-n" ? "rouge-1" : spec.type
    let score: @Sendable (String, [String]) -> Double? =
      switch variant {
      case "rouge-2": { TextMetrics.rougeN(2, prediction: $0, references: $1) }
      case "rouge-l": { TextMetrics.rougeL(prediction: $0, references: $1) }
      default: { TextMetrics.rougeN(1, prediction: $0, references: $1) }
      }
    overlap = try ReferenceOverlap(spec, name: variant.uppercased(), default: Rouge.defaultThreshold, score: score)
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome { overlap.outcome(input.output) }
}

/// What the overlap metrics share: references from `value`, a minimum in 0…1, the reason line. The score
/// function sees every reference (BLEU merges them; the others take the best); `nil` means "too long to compare".
struct ReferenceOverlap: Sendable {
  let references: [String]
  let minimum: Double
  let name: String
  let score: @Sendable (_ prediction: String, _ references: [String]) -> Double?

  init(
    _ spec: AssertionSpec, name: String, default fallback: Double,
    score: @escaping @Sendable (String, [String]) -> Double?
  ) throws {
    references = try spec.referenceTexts()
    minimum = try spec.unitThreshold(default: fallback)
    self.name = name
    self.score = score
  }

  func outcome(_ output: String) -> AssertionOutcome {
    guard let best = score(output, references) else {
      return .errored(
        "\(name) not computed: the output and reference are too long to compare (more than "
          + "\(EditDistance.stepLimit) steps)")
    }
    let pass = best + 1e-12 >= minimum
    return AssertionOutcome(
      pass: pass, score: best,
      reason: "\(name) \(String(format: "%.4f", best)) \(pass ? "≥" : "<") \(JSONValue.format(minimum))")
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
