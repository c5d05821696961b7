import Foundation

/// `chrf`: chrF (character 6-grams, β = 2) of the output against the reference in `value` (a list: the best
/// of them) is at least `threshold` (default 0.5), computed as sacrebleu's `sentence_chrf` does and divided
/// by 100. Kinder than BLEU to inflections and short answers.
public struct ChrF: Assertion {
  let references: [String]
  let minimum: Double

  /// The default minimum.
  public static let defaultThreshold = 0.5

  /// Builds from a spec with a reference (or a list) and an optional `threshold` in 0…1.
  public init(_ spec: AssertionSpec) throws {
    references = try spec.referenceTexts()
    minimum = try spec.unitThreshold(default: ChrF.defaultThreshold)
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let best = references.map { TextMetrics.chrF(prediction: input.output, reference: $0) }.max() ?? 0
    return TextOverlap.outcome("chrF", best, minimum)
  }
}
