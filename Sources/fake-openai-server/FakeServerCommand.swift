import ArgumentParser
import FakeOpenAIServer
import Foundation

/// Runs the in-repo fake OpenAI-compatible server (loopback only) for benchmarks and manual tries.
@main
struct FakeServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fake-openai-server",
    abstract: "An OpenAI-compatible server on 127.0.0.1 with deterministic replies and fault injection.",
    discussion: """
      Replies: '[[reply:TEXT]]' in the last user message answers TEXT, otherwise 'You said: <message>'.
      Faults: --fault-rate picks from --faults per request (seeded); a request can force one with the
      header 'X-Fake-Fault: MODE' or '[[fault:MODE]]' in the prompt. Modes: 429 500 503 reset malformed
      truncated hang, and (forced only) 401 (its message repeats the Authorization header), stall (headers,
      then nothing) and drip (headers, then a byte a second).
      GET /_stats returns counters.
      """)

  @Option(help: "Port (0 picks a free one).")
  var port = 8080

  @Option(help: "Delay before each response, in milliseconds.")
  var latencyMs = 0

  @Option(help: "Probability of a fault per chat request, 0…1.")
  var faultRate = 0.0

  @Option(help: "Comma-separated fault modes to draw from.")
  var faults = FakeServerConfiguration().faultModes.map(\.rawValue).joined(separator: ",")

  @Option(help: "Seed of the fault draw.")
  var seed: UInt64 = 1

  @Option(help: "Probability of a wrong answer (\"I don't know.\") per distinct prompt, 0…1: a degraded model.")
  var wrongAnswerRate = 0.0

  func run() async throws {
    var modes: [FakeServerConfiguration.Fault] = []
    for name in faults.split(separator: ",") {
      guard let mode = FakeServerConfiguration.Fault(rawValue: String(name)) else {
        throw ValidationError("unknown fault mode '\(name)'")
      }
      modes.append(mode)
    }
    let server = FakeOpenAIServer(
      configuration: .init(
        latency: .milliseconds(latencyMs), faultRate: faultRate, faultModes: modes, seed: seed,
        wrongAnswerRate: wrongAnswerRate))
    try await server.start(host: "127.0.0.1", port: port)
    // Unbuffered, so a script reading the first line is not left waiting.
    FileHandle.standardOutput.write(Data((server.baseURL + "\n").utf8))
    await server.waitUntilClosed()
  }
}
