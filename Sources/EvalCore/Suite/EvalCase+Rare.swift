extension EvalCase {
  /// A case's fields that most cases leave empty (a transform, an order among the suite's cases, a comparison
  /// group, a fixed output, code to run first, a scoring function), held behind one reference
  /// (``RareBox``) rather than in the case: they were 520 of its 728 bytes. A case is copied a dozen times on its
  /// way through a run, and each of the 2 × C tasks under way holds several copies in its async frames while it
  /// waits for a place among the calls: at C = 64 those frames were 3.8 MB of a 1,000-case run's peak
  /// (docs/benchmarks.md, session 15).
  struct Rare: Sendable {
    var transform: TransformSpec?
    var sequence: CaseSequence?
    var comparisonGroup: String?
    var fixedOutput: String?
    var deferred: DeferredPrompt?
    var scoringFunction: TransformSpec?

    /// Whether every field is empty.
    var isEmpty: Bool {
      transform == nil && sequence == nil && comparisonGroup == nil && fixedOutput == nil && deferred == nil
        && scoringFunction == nil
    }
  }

  /// ``Rare``'s fields behind a reference, never changed once made: a case that changes one gets a new box, so
  /// cases keep value semantics.
  final class RareBox: Sendable {
    let fields: Rare

    init(_ fields: Rare) { self.fields = fields }
  }
}
