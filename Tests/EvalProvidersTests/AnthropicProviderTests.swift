import EvalCore
import EvalProviders
import EvalTestSupport
import FakeOpenAIServer
import Foundation
import Testing

/// The Anthropic provider over real HTTP against the fake server's `/v1/messages`.
@Suite(.offThePool) struct AnthropicProviderTests {
  static func withProvider(
    config: [String: JSONValue] = [:], environment: [String: String] = ["ANTHROPIC_API_KEY": "sk-ant-test"],
    _ body: (FakeOpenAIServer, any Provider) async throws -> Void
  ) async throws {
    try await FakeServerHarness.withProvider(environment: environment) { server in
      var settings = config
      settings["apiBaseUrl"] = .string(server.baseURL.replacingOccurrences(of: "/v1", with: ""))
      return ProviderSpec(id: "anthropic:messages:claude-fake", config: settings, location: .init(file: "t.yaml"))
    } _: { server, provider in
      try await body(server, provider)
    }
  }

  @Test func messageWithSystemPromptUsageAndStopReason() async throws {
    try await Self.withProvider { server, provider in
      let c = try await provider.complete(
        CompletionRequest(messages: [
          ChatMessage(role: "system", content: "be brief"), ChatMessage(role: "user", content: "[[reply:hi there]]"),
        ]))
      #expect(c.text == "hi there")
      #expect(c.finishReason == "stop")
      #expect(c.usage?.completionTokens == 2)
      #expect(c.model == "claude-fake")
      #expect(server.stats.chatRequests == 1)
    }
  }

  @Test func maxTokensStopMapsToLength() async throws {
    try await Self.withProvider { _, provider in
      let c = try await provider.complete(
        CompletionRequest(messages: [ChatMessage(role: "user", content: "[[finish:length]] go")]))
      #expect(c.finishReason == "length")
    }
  }

  @Test(arguments: [("500", ProviderError.Kind.http), ("429", .rateLimited), ("malformed", .malformedResponse)])
  func faultsAreTyped(fault: String, kind: ProviderError.Kind) async throws {
    try await Self.withProvider { _, provider in
      await #expect {
        _ = try await provider.complete(
          CompletionRequest(messages: [ChatMessage(role: "user", content: "[[fault:\(fault)]]")]))
      } throws: { error in
        (error as? ProviderError)?.kind == kind
      }
    }
  }

  @Test func keyIsRedactedFromEchoingErrors() async throws {
    try await Self.withProvider(environment: ["ANTHROPIC_API_KEY": "sk-ant-secret-123456"]) { _, provider in
      try await FakeServerHarness.expectKeyRedactedFromAnEchoing401(provider, key: "sk-ant-secret-123456")
    }
  }

  @Test func hostedEndpointNeedsAKey() async throws {
    let factory = ProviderFactory(environment: [:], concurrency: 1)
    #expect(throws: Diagnostic.self) {
      _ = try factory.make(ProviderSpec(id: "anthropic:claude-x", location: .init(file: "t.yaml")))
    }
    await factory.shutdown()
  }
}
