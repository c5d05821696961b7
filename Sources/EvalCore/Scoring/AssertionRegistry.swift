import Foundation

/// Maps assertion type names to builders. Unknown names get a did-you-mean.
public struct AssertionRegistry: Sendable {
  /// Builds an assertion from a templated spec.
  public typealias Builder = @Sendable (AssertionSpec) throws -> any Assertion

  private var builders: [String: Builder]

  /// An empty registry.
  public init() { builders = [:] }

  /// Every type name this registry knows, sorted, `assert-set` included.
  public var knownTypes: [String] { (Array(builders.keys) + [AssertionRegistry.setType]).sorted() }

  /// The type name of an assertion group.
  public static let setType = "assert-set"

  /// Adds a builder under one or more names.
  public mutating func register(_ names: String..., builder: @escaping Builder) {
    for name in names { builders[name] = builder }
  }

  /// True when `type` (without `not-`) is known.
  public func knows(_ type: String) -> Bool { type == AssertionRegistry.setType || builders[type] != nil }

  /// Builds the assertion for `spec`.
  /// - Throws: ``Diagnostic`` at the spec's location for an unknown type or a bad value.
  public func make(_ spec: AssertionSpec) throws -> any Assertion {
    guard let builder = builders[spec.type] else {
      throw Diagnostic(
        "unknown assertion type '\(spec.displayType)'" + Suggestion.didYouMean(spec.type, in: knownTypes),
        at: spec.location)
    }
    do {
      return try builder(spec)
    } catch var diagnostic as Diagnostic {
      diagnostic.location = diagnostic.location ?? spec.location
      throw diagnostic
    }
  }

  /// The deterministic assertions that ship with evalgate.
  public static let standard: AssertionRegistry = {
    var r = AssertionRegistry()
    r.register("equals", builder: Equals.init)
    r.register("contains", "icontains", builder: Contains.init)
    r.register("contains-any", "icontains-any", builder: ContainsAny.init)
    r.register("contains-all", "icontains-all", builder: ContainsAll.init)
    r.register("starts-with", builder: StartsWith.init)
    r.register("regex", builder: RegexMatch.init)
    r.register("is-json", builder: IsJSON.init)
    r.register("contains-json", builder: ContainsJSON.init)
    r.register("json-schema", builder: JSONSchemaAssertion.init)
    r.register("levenshtein", builder: Levenshtein.init)
    r.register("latency", builder: Latency.init)
    r.register("word-count", builder: WordCount.init)
    r.register("finish-reason", builder: FinishReason.init)
    r.register("contains-pii", builder: ContainsPII.init)
    r.register("contains-secret", "contains-secrets", builder: ContainsSecret.init)
    r.register("prompt-leak", builder: PromptLeak.init)
    r.register("is-refusal", builder: IsRefusal.init)
    r.register("is-valid-openai-tools-call", builder: IsValidOpenAIToolsCall.init)
    r.register("is-valid-openai-function-call", builder: IsValidOpenAIFunctionCall.init)
    r.register("cost", builder: Cost.init)
    r.register("rouge-n", "rouge-1", "rouge-2", "rouge-l", builder: Rouge.init)
    r.register("bleu", builder: Bleu.init)
    r.register("chrf", builder: ChrF.init)
    r.register("llm-rubric", builder: LLMRubric.init)
    r.register("factuality", builder: Factuality.init)
    r.register("model-graded-closedqa", builder: ClosedQA.init)
    r.register("answer-relevance", builder: AnswerRelevance.init)
    r.register("context-faithfulness", builder: ContextFaithfulness.init)
    r.register("context-recall", builder: ContextRecall.init)
    r.register("context-relevance", builder: ContextRelevance.init)
    r.register("g-eval", builder: GEval.init)
    r.register("conversation-relevance", builder: ConversationRelevance.init)
    r.register("max-score", "select-best", builder: CompareAssertion.init)
    r.register("moderation", builder: Moderation.init)
    r.register("is-xml", builder: IsXML.init)
    r.register("contains-xml", builder: ContainsXML.init)
    r.register("is-sql", builder: IsSQL.init)
    r.register("contains-sql", builder: ContainsSQL.init)
    r.register("javascript", builder: JavaScriptAssertion.init)
    r.register("python", builder: PythonAssertion.init)
    r.register("similar", "similar:cosine", "similar:dot", "similar:euclidean", builder: Similar.init)
    return r
  }()
}
