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
  /// `options.storeOutputAs`: the var later tests read this test's output as.
  public var storeOutputAs: String?
  /// promptfoo's `providerOutput`: the output scored instead of calling the provider.
  public var providerOutput: String?
  /// promptfoo's `options.prefix` / `options.suffix` (CSV `__prefix`, `__suffix`): text around the prompt.
  public var promptPrefix: String?
  /// See ``promptPrefix``.
  public var promptSuffix: String?
  /// `options.rubricPrompt`: the judge prompt of the test's `llm-rubric` assertions that set none.
  public var rubricPrompt: JSONValue?
  /// `options.transformVars`: code that rewrites the vars before the prompt is rendered.
  public var transformVars: TransformSpec?
  /// Vars whose value code computes (promptfoo's `file://x.py` as a var value, `get_var`), by name.
  public var codeVars: [String: TransformSpec] = [:]
  /// `assertScoringFunction`: code that decides the test's pass and score from its named metric scores.
  public var scoringFunction: TransformSpec?
  /// Where the test is defined.
  public var location: SourceLocation
  /// promptfoo's test-level `prompts:`: the labels or ids of the prompts this test runs with (`nil`: all);
  /// a name ending in `*` matches by prefix.
  public var promptFilter: [String]?
  /// promptfoo's test-level `providers:`: the labels or ids of the providers this test runs against (`nil`:
  /// all); a name ending in `*` matches by prefix.
  public var providerFilter: [String]?

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
    out.promptFilter = promptFilter ?? defaults.promptFilter
    out.providerFilter = providerFilter ?? defaults.providerFilter
    out.transform = transform ?? defaults.transform
    out.storeOutputAs = storeOutputAs ?? defaults.storeOutputAs
    out.providerOutput = providerOutput ?? defaults.providerOutput
    out.promptPrefix = promptPrefix ?? defaults.promptPrefix
    out.promptSuffix = promptSuffix ?? defaults.promptSuffix
    out.rubricPrompt = rubricPrompt ?? defaults.rubricPrompt
    out.scoringFunction = scoringFunction ?? defaults.scoringFunction
    out.transformVars = transformVars ?? defaults.transformVars
    out.codeVars = defaults.codeVars.filter { vars[$0.key] == nil }.merging(codeVars) { _, own in own }
    return out
  }
}

extension TestSpec {
  /// Whether `name` (a filter entry) names something with this label or id: equal, or a prefix when it ends
  /// in `*`.
  public static func filter(_ names: [String]?, matches label: String, id: String?) -> Bool {
    guard let names else { return true }
    return names.contains { name in
      if name.hasSuffix("*") {
        let prefix = String(name.dropLast())
        return label.hasPrefix(prefix) || (id?.hasPrefix(prefix) ?? false)
      }
      return name == label || name == id
    }
  }
}
