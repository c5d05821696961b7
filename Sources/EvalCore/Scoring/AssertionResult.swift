import Foundation

/// One assertion's result in a report.
public struct AssertionResult: Sendable, Hashable, Codable {
  /// The type as written (`not-contains`, `assert-set`).
  public var type: String
  /// Whether it passed, after `not-`.
  public var pass: Bool
  /// Score in 0…1, after `not-`.
  public var score: Double
  /// Why.
  public var reason: String
  /// Weight in the test score.
  public var weight: Double
  /// Named metric, if any.
  public var metric: String?
  /// Line of the assertion in its file.
  public var line: Int?
  /// Results of an `assert-set`'s children.
  public var children: [AssertionResult]?
  /// Why it could not be checked, when it could not (the assertion is then neither passed nor failed).
  public var error: ProviderError?

  /// Creates a result from a spec and an outcome.
  public init(spec: AssertionSpec, outcome: AssertionOutcome, children: [AssertionResult]) {
    type = spec.displayType
    pass = outcome.pass
    score = outcome.score
    reason = outcome.reason
    weight = spec.weight
    metric = spec.metric
    line = spec.location.line > 0 ? spec.location.line : nil
    self.children = children.isEmpty ? nil : children
    error = outcome.error
  }

  /// True when it could not be checked.
  public var isError: Bool { error != nil }

  /// Every failed (or errored) leaf result, depth first (for failure messages).
  public var failedLeaves: [AssertionResult] {
    guard !pass else { return [] }
    guard let children else { return [self] }
    let leaves = children.flatMap(\.failedLeaves)
    return leaves.isEmpty ? [self] : leaves
  }
}
