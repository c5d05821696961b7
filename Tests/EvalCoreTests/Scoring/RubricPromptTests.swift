import EvalCore
import Testing

/// promptfoo's `rubricPrompt`: the judge's prompt for `llm-rubric`, a template reading `output`, `rubric`
/// and the vars.
struct RubricPromptTests {
  static func judgedMessages(_ prompt: JSONValue) async throws -> [ChatMessage] {
    var spec = AssertionSpec(type: "llm-rubric", value: "is polite", location: Harness.here)
    spec.judge = ProviderSpec(id: "judge", location: Harness.here)
    spec.rubricPrompt = prompt
    let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    let seen = Box()
    let judge: JudgeCall = { _, messages, _ in
      seen.messages = messages
      return .success(#"{"pass": true, "score": 1, "reason": "ok"}"#)
    }
    let verdict = await Scorer.score(plan, AssertionInput(output: "hi \"there\"", vars: ["name": "Ann"], judge: judge))
    #expect(verdict.pass)
    return seen.messages
  }

  final class Box: @unchecked Sendable { var messages: [ChatMessage] = [] }

  @Test func aTextRubricPromptIsOneUserMessage() async throws {
    let messages = try await Self.judgedMessages("Grade {{ output }} against {{ rubric }} for {{ name }}")
    #expect(messages.map(\.content) == [#"Grade hi "there" against is polite for Ann"#])
    #expect(messages.map(\.role) == ["user"])
  }

  @Test func aListOfMessagesRendersEachContent() async throws {
    let messages = try await Self.judgedMessages([
      ["role": "system", "content": "You grade {{ rubric }}."], ["role": "user", "content": "Output: {{ output }}"],
    ])
    #expect(messages.map(\.role) == ["system", "user"])
    #expect(messages.map(\.content) == ["You grade is polite.", #"Output: hi "there""#])
  }

  @Test func withoutItTheVersionedPromptIsUsed() async throws {
    let messages = try await Self.judgedMessages(.null)
    #expect(messages.first?.role == "system" && messages.last?.content.contains("<rubric>") == true)
  }
}
