import EvalCore

/// promptfoo's default grading provider: chosen from the credentials present when a model-graded assertion
/// has no `provider` (on the assertion, the test or `defaultTest.options`), announced once.
///
/// As promptfoo: `OPENAI_API_KEY` set → OpenAI (`gpt-4.1-2025-04-14`, embeddings `text-embedding-3-large`);
/// else `ANTHROPIC_API_KEY` → Anthropic (`claude-sonnet-4-20250514`; embeddings still OpenAI's); else OpenAI
/// (whose missing key is then the error).
public enum DefaultGrader {
  /// The assertion types that call a judge (chat) model.
  static let judgedTypes: Set<String> = [
    "llm-rubric", "factuality", "model-graded-closedqa", "answer-relevance", "context-faithfulness",
    "context-recall", "context-relevance", "g-eval", "conversation-relevance", "select-best",
  ]
  /// The assertion types that call an embedding model.
  static let embeddingTypes: Set<String> = ["similar"]

  /// The chat and embedding graders for `environment`, and why they were chosen.
  public static func choose(environment: [String: String]) -> (judge: String, embedding: String, reason: String) {
    let has = { (name: String) in !(environment[name] ?? "").isEmpty }
    if !has("OPENAI_API_KEY"), has("ANTHROPIC_API_KEY") {
      return (
        "anthropic:messages:claude-sonnet-4-20250514", "openai:embedding:text-embedding-3-large",
        "ANTHROPIC_API_KEY is set and OPENAI_API_KEY is not"
      )
    }
    return (
      "openai:chat:gpt-4.1-2025-04-14", "openai:embedding:text-embedding-3-large",
      has("OPENAI_API_KEY") ? "OPENAI_API_KEY is set" : "no grading credentials are set; OpenAI is the default"
    )
  }

  /// `suite` with a grader on every model-graded assertion that has none, and the note saying so (`nil` when
  /// no assertion needed one).
  public static func apply(to suite: Suite, environment: [String: String]) -> (Suite, String?) {
    let choice = choose(environment: environment)
    let graders = (judge: choice.judge, embedding: choice.embedding)
    var used: Set<String> = []
    func fill(_ specs: [AssertionSpec], testJudge: ProviderSpec?) -> [AssertionSpec] {
      let (filled, graded) = DefaultGrader.fill(specs, testJudge: testJudge, graders: graders)
      used.formUnion(graded)
      return filled
    }
    var out = suite
    let defaultJudge = suite.defaultTest?.judge
    out.tests = suite.tests.mapParts { t in
      var t = t
      t.assertions = fill(t.assertions, testJudge: t.judge ?? defaultJudge)
      return t
    } streamed: { facts in
      // Streamed rows have no judge of their own (see ``TestRows``): their assertion types tell which graders
      // they need, and each row gets them as it is read.
      guard defaultJudge == nil else { return nil }
      var needed: [String] = []
      if !facts.assertionTypes.isDisjoint(with: judgedTypes) { needed.append(choice.judge) }
      if !facts.assertionTypes.isDisjoint(with: embeddingTypes) { needed.append(choice.embedding) }
      guard !needed.isEmpty else { return nil }
      used.formUnion(needed)
      let transform: @Sendable (TestSpec) -> TestSpec = { t in
        var t = t
        t.assertions = DefaultGrader.fill(t.assertions, testJudge: nil, graders: graders).specs
        return t
      }
      return (transform, needed.map { ProviderSpec(id: $0, location: SourceLocation(file: suite.file)) })
    }
    if var d = out.defaultTest {
      // Default assertions are judged by each test's own provider first (`merged` keeps theirs).
      let testsWithOwnJudge = suite.tests.listed.contains { $0.judge != nil }
      if !testsWithOwnJudge { d.assertions = fill(d.assertions, testJudge: d.judge) }
      out.defaultTest = d
    }
    guard !used.isEmpty else { return (suite, nil) }
    return (
      out,
      "model-graded assertions without a 'provider' are graded by "
        + used.sorted().joined(separator: " and ") + " (promptfoo's default: \(choice.reason)); set "
        + "'defaultTest: { options: { provider: … } }' to choose"
    )
  }

  /// `specs` with `graders` on each model-graded assertion (and child) that has no judge, where the test has
  /// none either, and the graders used.
  static func fill(
    _ specs: [AssertionSpec], testJudge: ProviderSpec?, graders: (judge: String, embedding: String)
  ) -> (specs: [AssertionSpec], used: Set<String>) {
    var used: Set<String> = []
    let filled = specs.map { spec in
      var spec = spec
      let (children, graded) = fill(spec.children, testJudge: spec.judge ?? testJudge, graders: graders)
      (spec.children, used) = (children, used.union(graded))
      guard spec.judge == nil, testJudge == nil else { return spec }
      if judgedTypes.contains(spec.type) {
        spec.judge = ProviderSpec(id: graders.judge, location: spec.location)
        used.insert(graders.judge)
      } else if embeddingTypes.contains(spec.type) {
        spec.judge = ProviderSpec(id: graders.embedding, location: spec.location)
        used.insert(graders.embedding)
      }
      return spec
    }
    return (filled, used)
  }
}
