import EvalCore
import EvalProviders
import EvalTestSupport
import FakeOpenAIServer
import Foundation
import Testing

/// The ways real OpenAI-compatible servers bend the protocol (../shared/reference/real-servers.md), taught
/// to the fake server as `[[quirk:…]]` and met by the `openai` provider.
@Suite(.offThePool) struct RealServerQuirkTests {
  static func outcome(_ quirk: String, stream: Bool) async throws -> Result<Completion, ProviderError> {
    var result: Result<Completion, ProviderError> = .failure(ProviderError(.other, "not run"))
    try await OpenAIChatProviderTests.withServer(config: stream ? ["stream": true] : [:]) { _, provider in
      do {
        result = .success(try await provider.complete(OpenAIChatProviderTests.request("hello [[quirk:\(quirk)]]")))
      } catch let e as ProviderError {
        result = .failure(e)
      }
    }
    return result
  }

  @Test func anEmptyStreamIsAnErrorNotAnEmptyAnswer() async throws {
    guard case .failure(let e) = try await Self.outcome("empty-stream", stream: true) else {
      Issue.record("an empty 200 stream passed as an answer")
      return
    }
    #expect(RetryPolicy().shouldRetry(e), "\(e.kind): \(e.message)")
  }

  @Test func aStreamEndingWithoutAFinishReasonIsCutOffNotComplete() async throws {
    guard case .failure(let e) = try await Self.outcome("done-without-finish", stream: true) else {
      Issue.record("a stream without a finish_reason passed as complete")
      return
    }
    #expect(RetryPolicy().shouldRetry(e), "\(e.kind): \(e.message)")
  }

  @Test func aUsageChunkWithChoicesStillCountsTokens() async throws {
    let c = try await Self.outcome("usage-with-choices", stream: true).get()
    #expect(c.usage?.promptTokens == 7 && c.finishReason == "stop" && c.text.hasPrefix("You said"))
  }

  @Test(arguments: [false, true])
  func missingUsageIsUnknownNotZero(stream: Bool) async throws {
    let c = try await Self.outcome("no-usage", stream: stream).get()
    #expect(
      c.usage == nil || (c.usage?.promptTokens == nil && c.usage?.completionTokens == nil),
      "\(String(describing: c.usage))")
  }

  @Test(arguments: [
    ("text-500", "HTTP 500", "Internal Server Error"),
    ("fastapi-422", "HTTP 422", "Field required"),
    ("string-code-400", "HTTP 400", "Invalid model name"),
  ])
  func errorBodiesOfAnyShapeReadAsOneLine(quirk: String, status: String, detail: String) async throws {
    guard case .failure(let e) = try await Self.outcome(quirk, stream: false) else {
      Issue.record("\(quirk) passed")
      return
    }
    #expect(e.message.contains(status) && e.message.contains(detail) && !e.message.contains("\n"), "\(e.message)")
  }

  @Test func aRateLimitWithoutRetryAfterIsRetriedOnTheClientsOwnBackoff() async throws {
    guard case .failure(let e) = try await Self.outcome("429-no-retry-after", stream: false) else {
      Issue.record("a 429 passed")
      return
    }
    #expect(e.kind == .rateLimited && e.status == 429 && e.retryAfterMs == nil, "\(e)")
    #expect(RetryPolicy().shouldRetry(e))
    #expect(e.message.contains("mock rate limit error") && !e.message.contains("\n"), "\(e.message)")
    // With no hint from the server, the wait is the policy's own backoff, and it grows.
    let policy = RetryPolicy()
    let first = policy.delay(beforeRetry: 0, hint: nil, unit: 1, elapsed: .zero)
    let third = policy.delay(beforeRetry: 2, hint: nil, unit: 1, elapsed: .zero)
    #expect(first > .zero && third > first, "\(first) then \(third)")
  }

  @Test(arguments: ["llama-shape", "litellm-shape"])
  func responsesMissingOptionalFieldsParse(quirk: String) async throws {
    let c = try await Self.outcome(quirk, stream: false).get()
    #expect(c.text.hasPrefix("You said"), "\(c.text)")
    #expect(c.finishReason == (quirk == "llama-shape" ? "length" : "stop"))
    #expect(c.usage?.promptTokens == 10 && c.usage?.completionTokens == (quirk == "llama-shape" ? 5 : 20))
  }

  @Test func anotherModelAnsweringIsRecorded() async throws {
    let c = try await Self.outcome("other-model", stream: false).get()
    #expect(c.model == "some-other-model")
  }
}
