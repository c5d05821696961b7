import Foundation

/// One entry of `tests:` (or `defaultTest:`), before its array vars expand.
public struct TestSpec: Sendable, Hashable {
  /// Optional stable id (evalgate's addition); without it the id derives from the test's content.
  public var id: String?
  /// Free text shown as the test's name.
  public var description: String?
  /// Template variables; array values expand into a cartesian product.
  public var vars: [String: JSONValue]
  /// Assertions, in order.
  public var assertions: [AssertionSpec]
  /// When set, the test passes if its weighted score reaches it; else every assertion must pass.
  public var threshold: Double?
  /// Free-form metadata copied into results.
  public var metadata: [String: JSONValue]
  /// Tags for filtering and reports.
  public var tags: [String]
  /// Per-test `repeat`, overriding the suite's.
  public var repeatCount: Int?
  /// `options.provider`: the judge of this test's model-graded assertions.
  public var judge: ProviderSpec?
  /// `options.transform`: code that rewrites the output before the assertions see it.
  public var transform: TransformSpec?
  /// Where the test is defined.
  public var location: SourceLocation

  /// Creates a test.
  public init(
    id: String? = nil, description: String? = nil, vars: [String: JSONValue] = [:],
    assertions: [AssertionSpec] = [], threshold: Double? = nil, metadata: [String: JSONValue] = [:],
    tags: [String] = [], repeatCount: Int? = nil, location: SourceLocation
  ) {
    self.id = id
    self.description = description
    self.vars = vars
    self.assertions = assertions
    self.threshold = threshold
    self.metadata = metadata
    self.tags = tags
    self.repeatCount = repeatCount
    self.location = location
  }

  /// This test with `defaults` merged in: default vars under the test's own, default assertions first.
  public func merged(with defaults: TestSpec?) -> TestSpec {
    guard let defaults else { return self }
    var out = self
    out.vars = defaults.vars.merging(vars) { _, own in own }
    out.assertions = defaults.assertions + assertions
    out.threshold = threshold ?? defaults.threshold
    out.metadata = defaults.metadata.merging(metadata) { _, own in own }
    out.tags = Array(Set(defaults.tags + tags)).sorted()
    out.repeatCount = repeatCount ?? defaults.repeatCount
    out.judge = judge ?? defaults.judge
    out.transform = transform ?? defaults.transform
    return out
  }
}
