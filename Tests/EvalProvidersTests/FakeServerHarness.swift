import EvalCore
import EvalProviders
import FakeOpenAIServer

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
}
