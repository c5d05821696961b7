import EvalCore
import FakeOpenAIServer
import Foundation
import Testing

/// A server that accepts the connection and then says nothing (no headers, headers only, or a byte a
/// second) ends the run with exit 4 one timeout after the first calls, whatever the number of cases.
struct SilentEndpointTests {
  @Test(arguments: ["hang", "stall", "drip"], [nil, "1"])
  func silentServerExitsFourWithinOneTimeout(fault: String, concurrency: String?) async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let numbers = (0..<30).map(String.init).joined(separator: ", ")
    let dir = try CLI.scratch([
      "suites/silent.yaml": """
      prompts: ["{{ n }} [[fault:\(fault)]]"]
      providers:
        - id: openai:chat:m
          config: { apiBaseUrl: "\(server.baseURL)" }
      tests:
        - vars: { n: [\(numbers)] }
      """
    ])
    let start = ContinuousClock.now
    let r = try await CLI.run(
      ["run", "--timeout", "2s", "--no-cache"] + (concurrency.map { ["-j", $0] } ?? []), in: dir)
    let elapsed = ContinuousClock.now - start
    #expect(r.status == 4, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("could not evaluate: openai:chat:m unreachable:"), "\(r.stdout)")
    #expect(r.stdout.contains("timed out"), "\(r.stdout)")
    // One round of calls: the breaker opens on the first timeouts and the rest fail at once. Without timeouts
    // counting, every case's 7 tries reach the server (210 calls, over 50 s). Counted rather than timed, so a
    // loaded machine cannot fail it; the wall-time bound only catches a hang (scripts/bench-silent times it).
    #expect(server.stats.chatRequests <= 16, "\(server.stats.chatRequests) calls")
    #expect(elapsed < .seconds(300), "took \(elapsed)")
  }
}
