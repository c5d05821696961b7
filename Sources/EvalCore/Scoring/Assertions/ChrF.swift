import Foundation

/// `chrf`: chrF (character 6-grams of Unicode scalars, β = 2) of the output against the reference in `value`
/// (a list: the best of them, as sacrebleu) is at least `threshold` (default 0.5), computed as sacrebleu's
/// `sentence_chrf` does and divided by 100. Kinder than BLEU to inflections and short answers.
public struct ChrF: Assertion {
  let overlap: ReferenceOverlap

  /// The default minimum.
  public static let defaultThreshold = 0.5

  /// Builds from a spec with a reference (or a list) and an optional `threshold` in 0…1.
  public init(_ spec: AssertionSpec) throws {
    overlap = try ReferenceOverlap(spec, name: "chrF", default: ChrF.defaultThreshold) {
      TextMetrics.chrF(prediction: $0, references: $1)
    }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome { overlap.outcome(input.output) }
}
