import EvalCore
import Testing

struct ModerationAndConversationTests {
  static let here = SourceLocation(file: "s.yaml", line: 1)

  static func score(_ spec: AssertionSpec, output: String, vars: [String: JSONValue] = [:], judge: @escaping JudgeCall)
    async throws -> AssertionResult
  {
    let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    let input = AssertionInput(output: output, vars: vars, judge: judge, prompt: "the question")
    return try #require(await Scorer.score(plan, input).results.first)
  }

  static func moderation(_ value: JSONValue? = nil, provider: String) -> AssertionSpec {
    var spec = AssertionSpec(type: "moderation", value: value, location: here)
    spec.judge = ProviderSpec(id: provider, location: here)
    return spec
  }

  @Test func openAIModerationFailsOnAFlaggedCategory() async throws {
    let flagged: JudgeCall = { _, _, _ in .success(#"{"flagged":true,"categories":{"violence":true,"hate":false}}"#) }
    let openAI = "openai:moderation:omni-moderation-latest"
    #expect(try await !Self.score(Self.moderation(provider: openAI), output: "x", judge: flagged).pass)
    // Only the categories listed count.
    #expect(try await Self.score(Self.moderation(["hate"], provider: openAI), output: "x", judge: flagged).pass)
  }

  @Test func llamaGuardIsAskedAboutThePromptAndTheOutput() async throws {
    let guardModel = "replicate:moderation:meta/llama-guard"
    let judge: JudgeCall = { _, messages, _ in
      #expect(messages.first?.content == "Human: the question\n\nAssistant: harmful text")
      return .success("unsafe\nS10, S11")
    }
    #expect(
      try await !Self.score(Self.moderation(["S10"], provider: guardModel), output: "harmful text", judge: judge).pass)
    #expect(
      try await Self.score(Self.moderation(["S1"], provider: guardModel), output: "harmful text", judge: judge).pass)
    let safe: JudgeCall = { _, _, _ in .success("safe") }
    #expect(try await Self.score(Self.moderation(provider: guardModel), output: "fine", judge: safe).pass)
    let garbage: JudgeCall = { _, _, _ in .success("I cannot tell") }
    #expect(try await Self.score(Self.moderation(provider: guardModel), output: "fine", judge: garbage).isError)
  }

  @Test func conversationRelevanceShowsTheJudgeEveryTurnAndPassesAtTheThreshold() async throws {
    var spec = AssertionSpec(type: "conversation-relevance", threshold: 0.7, location: Self.here)
    spec.judge = ProviderSpec(id: "judge", location: Self.here)
    spec.config = ["windowSize": 3]
    let conversation: JSONValue = [
      ["input": "planning a wedding", "output": "congratulations"], ["input": "flowers?", "output": "stocks fell"],
    ]
    let judge: JudgeCall = { _, messages, _ in
      let text = messages.map(\.content).joined()
      #expect(text.contains("<user-1>\nplanning a wedding") && text.contains("<assistant-2>\nstocks fell"))
      #expect(text.contains("<user-3>\nthe question") && text.contains("<assistant-3>\nroses"))
      #expect(text.contains("the 2 turn(s) before it"))
      return .success(#"{"score": 0.67, "reason": "one reply is off topic"}"#)
    }
    let r = try await Self.score(spec, output: "roses", vars: ["_conversation": conversation], judge: judge)
    #expect(!r.pass && r.score == 0.67)
  }
}
