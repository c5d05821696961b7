import EvalCore
import EvalProviders
import EvalTestSupport
import FakeOpenAIServer
import Foundation
import Testing

/// The generic `http` provider against the fake server's stand-in RAG service (`POST /rag/answer`).
@Suite(.offThePool) struct HTTPProviderTests {
  static func withProvider(
    config extra: [String: JSONValue] = [:], environment: [String: String] = [:],
    _ body: (any Provider) async throws -> Void
  ) async throws {
    try await FakeServerHarness.withProvider(concurrency: 2, environment: environment) { server in
      var config: [String: JSONValue] = [
        "url": .string(server.baseURL.replacingOccurrences(of: "/v1", with: "/rag/answer")),
        "body": ["question": "{{ prompt }}", "user": "{{ user }}"],
        "output": "answer", "contextIds": "sources.*.id", "promptTokens": "usage.in", "completionTokens": "usage.out",
      ]
      config.merge(extra) { _, new in new }
      return ProviderSpec(id: "http", label: "rag", config: config, location: .init(file: "t.yaml"))
    } _: { _, provider in
      try await body(provider)
    }
  }

  static func ask(_ text: String) -> CompletionRequest {
    CompletionRequest(messages: [ChatMessage(role: "user", content: text)], vars: ["user": "u-1"])
  }

  @Test func extractsOutputUsageAndContextIDs() async throws {
    try await Self.withProvider { provider in
      let c = try await provider.complete(Self.ask("[[reply:Returns take 30 days.]]"))
      #expect(c.text == "Returns take 30 days.")
      #expect(c.contextIDs == ["doc-1", "doc-7"])
      #expect(c.usage?.completionTokens == 4)
    }
  }

  @Test func missingOutputPathIsMalformed() async throws {
    try await Self.withProvider(config: ["output": "data.0.text"]) { provider in
      await #expect {
        _ = try await provider.complete(Self.ask("x"))
      } throws: { error in
        guard let e = error as? ProviderError else { return false }
        return e.kind == .malformedResponse && e.message == "response has no 'data.0.text'"
      }
    }
  }

  @Test func headerTokensFromTheEnvironmentAreRedacted() async throws {
    let token = "rag-token-\(UUID().uuidString)"
    try await Self.withProvider(
      config: ["headers": ["Authorization": "Bearer {{ env.RAG_TOKEN }}"]], environment: ["RAG_TOKEN": token]
    ) { provider in
      do {
        _ = try await provider.complete(Self.ask("[[fault:401]]"))
        Issue.record("expected an error")
      } catch let error as ProviderError {
        #expect(error.status == 401)
        #expect(!error.message.contains(token))
        #expect(error.message.hasSuffix("[REDACTED]"))
      }
    }
  }

  @Test(
    arguments: [
      ("answer", ["ok"]),
      ("sources.*.id", ["a", "b"]),
      ("sources.1.id", ["b"]),
      ("nope", []),
    ] as [(String, [String])])
  func paths(path: String, expected: [String]) {
    let json: JSONValue = ["answer": "ok", "sources": [["id": "a"], ["id": "b"]]]
    #expect(HTTPProviderPaths.values(path, json).map(\.plainText) == expected)
  }
}
