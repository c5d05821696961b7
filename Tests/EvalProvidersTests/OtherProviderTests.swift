import EvalCore
import EvalProviders
import Foundation
import Testing

struct ExecProviderTests {
  static func request(_ text: String) -> CompletionRequest {
    CompletionRequest(messages: [ChatMessage(role: "user", content: text)], caseID: "abc")
  }

  @Test func promptOnStdinOutputFromStdout() async throws {
    let p = ExecProvider(label: "tr", command: "tr a-z A-Z")
    #expect(try await p.complete(Self.request("hello")).text == "HELLO")
  }

  @Test func environmentCarriesTheCaseID() async throws {
    let p = ExecProvider(
      label: "env", command: "printf %s \"$EVALGATE_CASE_ID-$GREETING\"", environment: ["GREETING": "hi"])
    #expect(try await p.complete(Self.request("x")).text == "abc-hi")
  }

  @Test func nonZeroExitIsAProcessErrorWithStderr() async throws {
    let p = ExecProvider(label: "fail", command: "echo boom >&2; exit 3")
    await #expect {
      _ = try await p.complete(Self.request("x"))
    } throws: { error in
      guard let e = error as? ProviderError else { return false }
      return e.kind == .process && e.message == "command exited with status 3: boom"
    }
  }

  @Test func largeOutputAndIgnoredInputDoNotDeadlock() async throws {
    let p = ExecProvider(label: "big", command: "head -c 300000 /dev/zero | tr '\\0' 'a'")
    let prompt = String(repeating: "x", count: 500_000)
    #expect(try await p.complete(Self.request(prompt)).text.count == 300_000)
  }

  @Test func timeoutKillsTheCommand() async throws {
    let plan = try ScoringPlan.build([], threshold: nil, registry: .standard)
    let c = EvalCase(
      id: CaseID(rawValue: "s"), suiteID: "s", location: .init(file: "s.yaml"), title: "sleep", promptLabel: "p",
      providerLabel: "sleep", providerKey: "k", vars: [:], messages: [ChatMessage(role: "user", content: "x")],
      plan: plan)
    let start = ContinuousClock.now
    let results = await Runner(concurrency: 1, timeout: .milliseconds(300), retry: .none).run(
      [c], providers: ["k": ExecProvider(label: "sleep", command: "sleep 120")])
    // Well under the command's 120 s: it was killed, not waited for (the margin absorbs a loaded CI machine).
    #expect(ContinuousClock.now - start < .seconds(60))
    #expect(results[0].attempts[0].error?.kind == .timeout)
  }
}

struct ScriptedProviderTests {
  @Test func firstMatchingRuleAnswersWithTemplates() async throws {
    let spec = ProviderSpec(
      id: "scripted",
      config: [
        "rules": [["contains": "REFUND", "reply": "30 days, {{ name }}"], ["regex": "^ship", "reply": "3-5 days"]],
        "default": "no idea",
      ], location: .init(file: "s.yaml"))
    let p = try ScriptedProvider(spec: spec, renderer: TemplateRenderer())
    func ask(_ text: String) async throws -> String {
      try await p.complete(
        CompletionRequest(messages: [ChatMessage(role: "user", content: text)], vars: ["name": "Ada"])
      ).text
    }
    #expect(try await ask("about refunds?") == "30 days, Ada")
    #expect(try await ask("shipping?") == "3-5 days")
    #expect(try await ask("weather?") == "no idea")
  }

  @Test func ruleWithoutMatcherIsRejected() {
    let spec = ProviderSpec(
      id: "scripted", config: ["rules": [["reply": "x"]]], location: .init(file: "s.yaml", line: 4))
    #expect(throws: Diagnostic.self) { try ScriptedProvider(spec: spec, renderer: TemplateRenderer()) }
  }

  @Test func echoReturnsThePrompt() async throws {
    let c = try await EchoProvider(label: "echo").complete(
      CompletionRequest(messages: [ChatMessage(role: "user", content: "same text")]))
    #expect(c.text == "same text")
  }
}

struct UsageDetailTests {
  @Test func openAIUsageDetailsAreRead() async throws {
    let body = #"""
      {"model":"m","choices":[{"message":{"content":"x"},"finish_reason":"stop"}],
       "usage":{"prompt_tokens":100,"completion_tokens":40,"total_tokens":140,
                "prompt_tokens_details":{"cached_tokens":64},"completion_tokens_details":{"reasoning_tokens":30}}}
      """#
    let usage = try ResponseProbe.completion(body).usage
    #expect(
      usage == Usage(promptTokens: 100, completionTokens: 40, totalTokens: 140, cachedTokens: 64, reasoningTokens: 30))
  }

  @Test func missingUsageIsUnknownNotZero() throws {
    let body = #"{"choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}"#
    #expect(try ResponseProbe.completion(body).usage == nil)
  }

  @Test func tokensPerSecondFromFirstTokenToEnd() {
    let a = AttemptResult(
      index: 0, outcome: .passed, latencyMs: 1100, timeToFirstTokenMs: 100,
      usage: Usage(promptTokens: 1, completionTokens: 50))
    #expect(a.tokensPerSecond == 50)
    #expect(AttemptResult(index: 0, outcome: .passed, latencyMs: 10).tokensPerSecond == nil)
  }
}
