import Foundation

/// `bleu`: sentence BLEU of the output against the reference in `value` is at least `threshold` (default 0.5),
/// computed as sacrebleu's `sentence_bleu` does (13a tokenizer, exponential smoothing, effective order) and
/// divided by 100. A list of references is sacrebleu's multi-reference BLEU: n-gram counts merged, the closest
/// reference length. The score is the BLEU value.
public struct Bleu: Assertion {
  let overlap: ReferenceOverlap

  /// The default minimum (promptfoo's).
  public static let defaultThreshold = 0.5

  /// Builds from a spec with a reference (or a list) and an optional `threshold` in 0…1.
  public init(_ spec: AssertionSpec) throws {
    overlap = try ReferenceOverlap(spec, name: "BLEU", default: Bleu.defaultThreshold) {
      TextMetrics.bleu(prediction: $0, references: $1)
    }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome { overlap.outcome(input.output) }
}
