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
    var used: Set<String> = []
    func fill(_ specs: [AssertionSpec], testJudge: ProviderSpec?) -> [AssertionSpec] {
      specs.map { spec in
        var spec = spec
        spec.children = fill(spec.children, testJudge: spec.judge ?? testJudge)
        guard spec.judge == nil, testJudge == nil else { return spec }
        if judgedTypes.contains(spec.type) {
          spec.judge = ProviderSpec(id: choice.judge, location: spec.location)
          used.insert(choice.judge)
        } else if embeddingTypes.contains(spec.type) {
          spec.judge = ProviderSpec(id: choice.embedding, location: spec.location)
          used.insert(choice.embedding)
        }
        return spec
      }
    }
    var out = suite
    let defaultJudge = suite.defaultTest?.judge
    out.tests = suite.tests.map { t in
      var t = t
      t.assertions = fill(t.assertions, testJudge: t.judge ?? defaultJudge)
      return t
    }
    if var d = out.defaultTest {
      // Default assertions are judged by each test's own provider first (`merged` keeps theirs).
      let testsWithOwnJudge = suite.tests.contains { $0.judge != nil }
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
}
