import Foundation

/// One `assert:` entry as written, before templating.
public struct AssertionSpec: Sendable, Hashable {
  /// The base type without `not-`, e.g. `contains`, or `assert-set`.
  public var type: String
  /// True for the `not-` form: pass and fail swap, and the score becomes 1 − score.
  public var negated: Bool
  /// The expected value; strings inside are templated with the case's vars.
  public var value: JSONValue?
  /// The type's threshold (its meaning depends on the type; see docs/assertions.md).
  public var threshold: Double?
  /// Weight in the test's weighted score; 1 by default, 0 records without deciding.
  public var weight: Double
  /// A named metric this assertion's score is reported under.
  public var metric: String?
  /// The nested assertions of an `assert-set`.
  public var children: [AssertionSpec]
  /// Where it is written.
  public var location: SourceLocation
  /// The judge of a model-graded assertion (`provider:` on the assertion, else the test's
  /// `options.provider`).
  public var judge: ProviderSpec?
  /// How many times a judge grades the output (`judgeRepeats`), and how the verdicts combine.
  public var judgeRepeats: Int = 1
  /// `majority` (pass when most verdicts pass; the default) or `mean` (the mean score against the threshold).
  public var judgeAggregate: String = "majority"
  /// `config:` handed to a code assertion as `context.config`.
  public var config: JSONValue?
  /// promptfoo's `rubricPrompt` for `llm-rubric`: the judge's prompt, a template (text, or a list of
  /// `{role, content}`) reading `output`, `rubric` and the case's vars.
  public var rubricPrompt: JSONValue?
  /// The assertion's own `transform`: code that rewrites the output this assertion sees (promptfoo's
  /// assertion-level `transform`).
  public var transform: TransformSpec?
  /// `contextTransform`: code that computes the retrieved context of a `context-*` assertion from the
  /// output (it stands for `vars.context`).
  public var contextTransform: TransformSpec?

  /// Creates an assertion spec.
  public init(
    type: String, negated: Bool = false, value: JSONValue? = nil, threshold: Double? = nil, weight: Double = 1,
    metric: String? = nil, children: [AssertionSpec] = [], location: SourceLocation
  ) {
    self.type = type
    self.negated = negated
    self.value = value
    self.threshold = threshold
    self.weight = weight
    self.metric = metric
    self.children = children
    self.location = location
  }

  /// This spec (and its children) with `judge` where it names none.
  public func judged(by judge: ProviderSpec?) -> AssertionSpec {
    guard let judge else { return self }
    var out = self
    if out.judge == nil { out.judge = judge }
    out.children = children.map { $0.judged(by: out.judge) }
    return out
  }

  /// The type as the user wrote it, with `not-` when negated.
  public var displayType: String { negated ? "not-" + type : type }

  /// A canonical form for ids: type, value, threshold, weight, metric and children, never the location.
  public var canonical: JSONValue {
    var o: [String: JSONValue] = ["type": .string(displayType)]
    if let value { o["value"] = value }
    if let threshold { o["threshold"] = .number(threshold) }
    if weight != 1 { o["weight"] = .number(weight) }
    if let metric { o["metric"] = .string(metric) }
    if !children.isEmpty { o["assert"] = .array(children.map(\.canonical)) }
    if let judge { o["provider"] = .string(judge.key) }
    if judgeRepeats != 1 { o["judgeRepeats"] = .number(Double(judgeRepeats)) }
    if judgeAggregate != "majority" { o["judgeAggregate"] = .string(judgeAggregate) }
    if let config { o["config"] = config }
    if let rubricPrompt { o["rubricPrompt"] = rubricPrompt }
    if let transform { o["transform"] = .string(transform.source.text) }
    if let contextTransform { o["contextTransform"] = .string(contextTransform.source.text) }
    return .object(o)
  }
}
