import EvalCore
import FakeOpenAIServer
import Foundation
import Testing

/// `evalgate canary` against two fake servers over loopback.
struct CanaryCommandTests {
  static func project(prod: String, next: String) -> [String: String] {
    let numbers = (0..<80).map(String.init).joined(separator: ", ")
    return [
      "evalgate.yaml": """
      providers:
        prod: { id: "openai:chat:fake-model", config: { apiBaseUrl: "\(prod)" } }
        next: { id: "openai:chat:fake-model", config: { apiBaseUrl: "\(next)" } }
      """,
      "suites/s.yaml": """
      prompts: ["question {{ n }}"]
      providers: [prod]
      tests:
        - id: t
          vars: { n: [\(numbers)] }
          assert: [{ type: starts-with, value: "You said" }]
      """,
    ]
  }

  /// Runs `body` with a scratch project pointing at two started servers, `next` giving wrong answers at
  /// `wrongAnswerRate`; stops both afterwards.
  static func withServers(
    wrongAnswerRate: Double, _ body: (FakeOpenAIServer, FakeOpenAIServer, URL) async throws -> Void
  ) async throws {
    let prod = FakeOpenAIServer(configuration: FakeServerConfiguration(latency: .milliseconds(2)))
    let next = FakeOpenAIServer(
      configuration: FakeServerConfiguration(latency: .milliseconds(2), seed: 9, wrongAnswerRate: wrongAnswerRate))
    try await prod.start()
    try await next.start()
    do {
      try await body(prod, next, try CLI.scratch(project(prod: prod.baseURL, next: next.baseURL)))
    } catch {
      await prod.stop()
      await next.stop()
      throw error
    }
    await prod.stop()
    await next.stop()
  }

  /// Prompts computed by code and code assertions run in canary's workers as in `run`: both arms get the
  /// function's prompt, never its file name.
  @Test(.enabled(if: CodeAssertionRunTests.hasInterpreters, "needs node and python3 on PATH"))
  func promptFunctionsAndCodeAssertionsRunInBothArms() async throws {
    try await Self.withServers(wrongAnswerRate: 0) { prod, next, dir in
      try "module.exports = ({ vars }) => `from code ${vars.n}`;\n".write(
        to: dir.appendingPathComponent("suites/p.js"), atomically: true, encoding: .utf8)
      try """
      prompts: [file://p.js]
      providers: [prod]
      tests:
        - vars: { n: [1, 2, 3] }
          assert: [{ type: javascript, value: "output.startsWith('You said')" }]
      """.write(to: dir.appendingPathComponent("suites/s.yaml"), atomically: true, encoding: .utf8)
      let r = try await CLI.run(["canary", "--baseline-provider", "prod", "--candidate-provider", "next"], in: dir)
      #expect([0, 4].contains(r.status), "\(r.stdout)\n\(r.stderr)")
      let prompts = prod.requestsByPrompt.keys.sorted()
      #expect(prompts.count == 3 && prompts.allSatisfy { $0.contains("from code") }, "\(prompts)")
      #expect(next.requestsByPrompt.keys.sorted() == prompts)
      let results = try String(
        contentsOf: dir.appendingPathComponent("reports/canary/candidate-results.json"), encoding: .utf8)
      #expect(!results.contains("no node worker"), "the javascript assertion ran")
    }
  }

  @Test func aDegradedCandidateIsRolledBackForItsPassRate() async throws {
    try await Self.withServers(wrongAnswerRate: 0.3) { prod, next, dir in
      let r = try await CLI.run(
        ["canary", "--baseline-provider", "prod", "--candidate-provider", "next", "-j", "8"], in: dir)
      #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
      #expect(r.stdout.hasPrefix("ROLLBACK: critical `pass_rate` REGRESSED"), "\(r.stdout)")
      #expect(r.stdout.components(separatedBy: "`pass_rate` REGRESSED").count == 2, "said once: \(r.stdout)")
      #expect(prod.requestsByPrompt.count == 80 && next.requestsByPrompt.count == 80)
      #expect(CLI.exists(dir, "reports/canary/verdict.md"))
      #expect(CLI.exists(dir, "reports/canary/candidate-results.json"))
    }
  }

  @Test func identicalEndpointsAreNeverRolledBack() async throws {
    try await Self.withServers(wrongAnswerRate: 0) { _, _, dir in
      for seed in [1, 2, 3] {
        let r = try await CLI.run(
          ["canary", "--baseline-provider", "prod", "--candidate-provider", "next", "--seed", "\(seed)"], in: dir)
        // Never a rollback; on a loaded machine latency jitter between the two servers may still hold.
        #expect(r.status == 0 || r.status == 3, "\(r.stdout)\n\(r.stderr)")
        #expect(!r.stdout.contains("ROLLBACK") && !r.stdout.contains("pass_rate` REGRESSED"), "\(r.stdout)")
      }
    }
  }

  @Test func anUnknownProviderIsAUsageError() async throws {
    let dir = try CLI.scratch(Self.project(prod: "http://127.0.0.1:9/v1", next: "http://127.0.0.1:9/v1"))
    let r = try await CLI.run(["canary", "--baseline-provider", "prod", "--candidate-provider", "nxet"], in: dir)
    #expect(r.status == 2)
    #expect(
      r.stderr.contains(
        "--candidate-provider 'nxet' names no provider in evalgate.yaml or the suites; did you mean 'next'?"))
  }
}
