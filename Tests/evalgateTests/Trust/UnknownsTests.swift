import EvalCore
import FakeOpenAIServer
import Foundation
import Testing

/// An error is an error, an unknown is unknown: a grader outage is not the model failing, a cached answer
/// keeps its real latency, missing usage is not 0, and another model answering an embedding is noticed.
struct UnknownsTests {
  static func results(_ dir: URL, _ out: String = "reports") throws -> JSONValue {
    try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("\(out)/results.json"), encoding: .utf8)))
  }

  static func similarSuite(negated: Bool = false) -> String {
    """
    prompts: ["The capital of France is {{ city }}."]
    providers: [echo]
    tests:
      - vars: { city: [Paris, Lyon, Nice, Lille] }
        assert:
          - type: \(negated ? "not-similar" : "similar")
            value: "{{ city }} is the capital"
            threshold: 0.1
            provider:
              id: openai:embedding:text-embedding-3-small
              config: { apiBaseUrl: "{{ env.EMBED_URL }}" }
    """
  }

  /// An unreachable embedding provider makes the cases errored and the run could-not-evaluate (exit 4), under
  /// `not-` too, and against a baseline blessed when it was up: never a failure of the model, never a pass.
  @Test func anEmbeddingOutageIsCouldNotEvaluateNotAFailure() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch(["suites/s.yaml": Self.similarSuite()])
    let up = try await CLI.run(["run", "--no-cache"], in: dir, environment: ["EMBED_URL": server.baseURL])
    #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
    #expect(try await CLI.run(["baseline", "accept"], in: dir).status == 0)
    let down = ["EMBED_URL": "http://127.0.0.1:1/v1"]
    let r = try await CLI.run(["run", "--no-cache", "--max-retries", "0"], in: dir, environment: down)
    #expect(r.status == 4, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.hasPrefix("could not evaluate: "), "\(r.stdout)")
    #expect(r.stdout.contains("could not check the output: embedding error"), "\(r.stdout)")
    let json = try Self.results(dir)
    #expect(json.value(atPath: ["summary", "errored"]) == .number(4))
    #expect(json.value(atPath: ["summary", "failed"]) == .number(0))
    // The model (echo) answered: its provider shows no error of its own.
    #expect(json.value(atPath: ["providers", "0", "errors"]) == .number(0))
    try Self.similarSuite(negated: true).write(
      to: dir.appendingPathComponent("suites/s.yaml"), atomically: true, encoding: .utf8)
    let negated = try await CLI.run(
      ["run", "--no-cache", "--no-baseline", "--max-retries", "0"], in: dir, environment: down)
    #expect(negated.status == 4, "not-similar must not pass on an outage: \(negated.stdout)")
  }

  @Test func aCachedAnswerKeepsTheLatencyItWasFetchedWith() async throws {
    let server = FakeOpenAIServer(configuration: FakeServerConfiguration(latency: .milliseconds(150)))
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch([
      "suites/s.yaml": """
      prompts: ["{{ n }}"]
      providers:
        - id: openai:chat:fake-model
          config: { apiBaseUrl: "\(server.baseURL)" }
      tests:
        - vars: { n: [1, 2, 3, 4] }
      """
    ])
    #expect(try await CLI.run(["run", "-o", "first"], in: dir).status == 0)
    let second = try await CLI.run(["run", "-o", "second"], in: dir)
    #expect(second.status == 0)
    #expect(server.stats.chatRequests == 4)
    let json = try Self.results(dir, "second")
    let attempts = (json.value(atPath: ["cases"])?.arrayValue ?? []).compactMap { $0.value(atPath: ["attempts", "0"]) }
    #expect(attempts.count == 4)
    #expect(attempts.allSatisfy { $0.value(atPath: ["cached"]) == true })
    #expect(attempts.allSatisfy { ($0.value(atPath: ["latencyMs"])?.numberValue ?? 0) >= 150 }, "\(attempts)")
    #expect((json.value(atPath: ["summary", "latencyP50Ms"])?.numberValue ?? 0) >= 150)
  }

  /// An endpoint that reports no usage: token and cost totals are absent with the count of calls they leave
  /// out, in results.json, the console and summary.md; never 0.
  @Test func missingUsageIsUnknownNotZero() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch([
      "suites/s.yaml": """
      prompts: ["{{ n }} [[quirk:no-usage]]"]
      providers:
        - id: openai:chat:fake-model
          config: { apiBaseUrl: "\(server.baseURL)" }
      tests:
        - vars: { n: [1, 2, 3] }
      """
    ])
    let r = try await CLI.run(["run"], in: dir)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let summary = try #require(try Self.results(dir).value(atPath: ["summary"])?.objectValue)
    #expect(summary["promptTokens"] == nil && summary["completionTokens"] == nil && summary["cost"] == nil)
    #expect(summary["tokensUnknownSamples"] == .number(3) && summary["costUnknownSamples"] == .number(3))
    #expect(r.stdout.contains("tokens unknown (no usage reported by 3 calls)"), "\(r.stdout)")
    #expect(r.stdout.contains("cost unknown"))
    let markdown = try String(contentsOf: dir.appendingPathComponent("reports/summary.md"), encoding: .utf8)
    #expect(markdown.contains("tokens unknown (no usage reported by 3 calls)"))
    let html = try String(contentsOf: dir.appendingPathComponent("reports/report.html"), encoding: .utf8)
    #expect(html.contains(">unknown</text>"))
  }

  /// Infinity answers any model name with its own model, and counts characters as "tokens": the model that
  /// answered is recorded and warned about once, and its usage is not called tokens.
  @Test func anEmbeddingFromAnotherModelIsWarnedAboutOnce() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch([
      "suites/s.yaml": """
      prompts: ["{{ city }} [[quirk:infinity]]"]
      providers: [echo]
      tests:
        - vars: { city: [Paris, Lyon, Nice] }
          assert:
            - type: similar
              value: "{{ city }} [[quirk:infinity]]"
              provider: { id: "openai:embedding:text-embedding-3-smal", config: { apiBaseUrl: "\(server.baseURL)" } }
      """
    ])
    let r = try await CLI.run(["run", "--no-cache"], in: dir)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let warning = "answered as model 'all-minilm-l6-v2', not 'text-embedding-3-smal' as asked"
    #expect(r.stderr.components(separatedBy: warning).count == 2, "once: \(r.stderr)")
    let json = try Self.results(dir)
    #expect(json.value(atPath: ["graders", "0", "models"]) == ["all-minilm-l6-v2"])
    #expect(
      json.value(atPath: ["warnings"])?.arrayValue?.contains { $0.stringValue?.contains(warning) == true } == true)
  }
}

extension UnknownsTests {
  /// `evalgate run && evalgate baseline accept` works where evalgate.yaml moves the output dir.
  @Test func baselineAcceptReadsTheConfiguredOutputDir() async throws {
    let dir = try CLI.scratch([
      "evalgate.yaml": "version: 1\noutputDir: out/ci\n",
      "suites/s.yaml": "prompts: [\"q{{ n }}\"]\nproviders: [echo]\ntests:\n  - vars: { n: [1, 2, 3] }\n",
    ])
    #expect(try await CLI.run(["run"], in: dir).status == 0)
    let bless = try await CLI.run(["baseline", "accept"], in: dir)
    #expect(bless.status == 0, "\(bless.stderr)")
    #expect(CLI.exists(dir, "baselines/s.json"))
  }
}
