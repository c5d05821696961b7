import EvalCore
import EvalProviders
import FakeOpenAIServer
import Testing

/// Starts a fake server, builds one provider against it through the real factory, runs the body, and
/// always shuts both down.
enum FakeServerHarness {
  static func withProvider(
    _ configuration: FakeServerConfiguration = FakeServerConfiguration(), concurrency: Int = 8,
    environment: [String: String] = [:], spec: (FakeOpenAIServer) -> ProviderSpec,
    _ body: (FakeOpenAIServer, any Provider) async throws -> Void
  ) async throws {
    let server = FakeOpenAIServer(configuration: configuration)
    try await server.start()
    let factory = ProviderFactory(environment: environment, concurrency: concurrency)
    do {
      try await body(server, try factory.make(spec(server)))
    } catch {
      await factory.shutdown()
      await server.stop()
      throw error
    }
    await factory.shutdown()
    await server.stop()
  }

  /// Sends `provider` the fake's `401` fault, whose error body repeats the key the request carried: the error
  /// must come back with the key as `[REDACTED]`, never the key.
  static func expectKeyRedactedFromAnEchoing401(_ provider: any Provider, key: String) async throws {
    do {
      _ = try await provider.complete(
        CompletionRequest(messages: [ChatMessage(role: "user", content: "[[fault:401]]")]))
      Issue.record("expected an error")
    } catch let error as ProviderError {
      #expect(!error.message.contains(key))
      #expect(error.message.contains("Incorrect API key provided: [REDACTED]"), "\(error)")
    }
  }
}
