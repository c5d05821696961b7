import EvalCore
import Testing

/// The judge-graded assertions other than llm-rubric: what they send the judge, how they read it.
struct ModelGradedTests {
  /// Scores `type` on `output` with a judge that answers `reply` and records what it was sent.
  static func grade(
    _ type: String, _ value: JSONValue? = nil, threshold: Double? = nil, output: String = "Paris.",
    vars: [String: JSONValue] = [:], prompt: String? = "What is the capital of France?", reply: String
  ) async throws -> (AssertionResult, [ChatMessage]) {
    let judge = LLMRubricTests.ScriptedJudge([reply, reply])
    var spec = Harness.spec(type, value, threshold: threshold)
    spec.judge = ProviderSpec(id: "openai:chat:judge", location: Harness.here)
    let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    let call: JudgeCall = { _, messages, _ in .success(await judge.answer(messages)) }
    let verdict = await Scorer.score(plan, AssertionInput(output: output, vars: vars, judge: call, prompt: prompt))
    return (try #require(verdict.results.first), await judge.asked.first ?? [])
  }

  static func text(_ messages: [ChatMessage]) -> String { messages.map(\.content).joined(separator: "\n") }

  @Test(arguments: [
    (#"{"category": "A", "reason": "subset"}"#, true),
    (#"{"category": "(C)"}"#, true),
    ("After comparing, the answer is (D): they disagree.", false),
    ("Category: E", true),
  ])
  func factualityReadsTheCategory(reply: String, pass: Bool) async throws {
    let (r, sent) = try await Self.grade("factuality", "Paris is the capital of France.", reply: reply)
    #expect(r.pass == pass, "\(r.reason)")
    #expect(Self.text(sent).contains("<expert>\nParis is the capital of France.\n</expert>"))
    #expect(Self.text(sent).contains("<question>\nWhat is the capital of France?\n</question>"))
  }

  @Test func factualityScoresAreConfigurable() async throws {
    let value: JSONValue = ["expected": "Paris", "scores": ["B": 0.3]]
    #expect(try await !Self.grade("factuality", value, reply: #"{"category": "B"}"#).0.pass)
    #expect(try await Self.grade("factuality", value, threshold: 0.3, reply: #"{"category": "B"}"#).0.pass)
    #expect(Harness.buildError("factuality", ["expected": "x", "scores": ["F": 1]])?.message.contains("A–E") == true)
  }

  @Test func closedQAPassesOnTheJudgesYes() async throws {
    #expect(try await Self.grade("model-graded-closedqa", "names a city", reply: #"{"pass": true}"#).0.pass)
    #expect(try await !Self.grade("model-graded-closedqa", "names a river", reply: #"{"pass": false}"#).0.pass)
  }

  @Test func relevanceAndFaithfulnessUseTheirThresholds() async throws {
    #expect(try await Self.grade("answer-relevance", reply: #"{"score": 0.8}"#).0.pass)
    #expect(try await !Self.grade("answer-relevance", reply: #"{"score": 0.6}"#).0.pass)
    let context: [String: JSONValue] = ["context": ["Paris is the capital of France.", "Lyon is in France."]]
    let (faithful, sent) = try await Self.grade("context-faithfulness", vars: context, reply: #"{"score": 1}"#)
    #expect(faithful.pass && Self.text(sent).contains("Paris is the capital of France.\n\nLyon is in France."))
    #expect(
      try await !Self.grade("context-recall", "Paris; it is on the Seine", vars: context, reply: #"{"score": 0.5}"#).0
        .pass)
    #expect(try await Self.grade("context-relevance", vars: context, reply: #"{"score": 0.75}"#).0.pass)
  }

  @Test func aMissingContextIsAJudgeErrorNotACall() async throws {
    let (r, sent) = try await Self.grade("context-faithfulness", reply: #"{"score": 1}"#)
    #expect(!r.pass && r.reason.contains("no context") && sent.isEmpty)
  }

  @Test(arguments: [(#"{"steps": ["check tone"], "score": 8}"#, true, 0.8), (#"{"score": 1}"#, false, 0.1)])
  func gEvalRatesOneToTen(reply: String, pass: Bool, score: Double) async throws {
    let (r, _) = try await Self.grade("g-eval", "Coherent and polite", reply: reply)
    #expect(r.pass == pass && abs(r.score - score) < 1e-12)
  }

  @Test func everyModelGradedAssertionNeedsAJudge() {
    for type in [
      "factuality", "model-graded-closedqa", "answer-relevance", "context-faithfulness", "context-recall",
      "context-relevance", "g-eval",
    ] {
      #expect(Harness.buildError(type, "x")?.message.contains("needs a judge") == true, "\(type)")
    }
  }
}
