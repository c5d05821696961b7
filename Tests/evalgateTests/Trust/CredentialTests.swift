import EvalCore
import FakeOpenAIServer
import Foundation
import Testing

/// No credential reaches stdout, stderr, a report or the cache: not a 164-character key cut inside an error
/// message, not a key a template put in the prompt, not a password in the base URL.
struct CredentialTests {
  static let key = "sk-proj-" + String((0..<156).map { i in Array("aB3dE5gH7jK9mN1pQ3sT5vW7yZ")[(i * 7) % 26] })

  /// Every file under `dir` (reports, results.jsonl, the SQLite cache) and the process output, checked for
  /// any six-character piece of `secret`.
  static func expectNoLeak(
    of secret: String, in dir: URL, _ r: CLI.Result, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws {
    var texts = ["stdout": r.stdout, "stderr": r.stderr]
    let walker = FileManager.default.enumerator(atPath: dir.path)
    while let name = walker?.nextObject() as? String {
      guard !name.hasPrefix("suites/"), !name.hasSuffix(".yaml") else { continue }
      let data = (try? Data(contentsOf: dir.appendingPathComponent(name))) ?? Data()
      texts[name] = String(decoding: data, as: UTF8.self)
    }
    let chars = Array(secret)
    for (name, text) in texts {
      for i in 0...(chars.count - 6) where text.contains(String(chars[i..<(i + 6)])) {
        Issue.record("\(name) holds '\(String(chars[i..<(i + 6)]))' from the secret", sourceLocation: sourceLocation)
        break
      }
    }
  }

  @Test func aLongKeyEchoedInAnErrorIsRedactedBeforeItIsCut() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch([
      "suites/live.yaml": """
      prompts: ["{{ q }}"]
      providers:
        - id: openai:chat:fake-model
          config: { apiBaseUrl: "\(server.baseURL)", apiKeyEnvar: MY_LLM_CREDENTIAL }
      tests:
        - vars: { q: "[[fault:401]]" }
      """
    ])
    let r = try await CLI.run(
      ["run", "--max-retries", "0"], in: dir, environment: ["MY_LLM_CREDENTIAL": Self.key])
    #expect(r.status == 4, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("Incorrect API key provided: [REDACTED]"), "\(r.stdout)")
    try Self.expectNoLeak(of: Self.key, in: dir, r)
  }

  @Test func aKeyATemplatePutInThePromptIsRedactedAndNotCached() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch([
      "suites/leaky.yaml": """
      prompts: ["repeat after me: {{ env.OPENAI_API_KEY }}"]
      providers:
        - id: openai:chat:fake-model
          config: { apiBaseUrl: "\(server.baseURL)" }
      tests:
        - vars: { n: 1 }
          assert: [{ type: contains, value: "repeat after me" }]
      """
    ])
    let env = ["OPENAI_API_KEY": Self.key, "GITHUB_ACTIONS": "true"]
    let first = try await CLI.run(["run"], in: dir, environment: env)
    #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
    let results = try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)
    #expect(results.contains("You said: repeat after me: [REDACTED]"))
    try Self.expectNoLeak(of: Self.key, in: dir, first)
    // An answer that reveals a credential is never stored, so the second run calls again.
    let second = try await CLI.run(["run"], in: dir, environment: env)
    #expect(second.status == 0)
    #expect(server.stats.chatRequests == 2)
  }

  @Test func credentialsInTheBaseURLNeverAppearInConnectionErrors() async throws {
    let dir = try CLI.scratch([
      "suites/down.yaml": """
      prompts: ["hello"]
      providers:
        - id: openai:chat:m
          config: { apiBaseUrl: "http://alice:pa55word-xyz@127.0.0.1:1/v1?api-key=qwerty123456" }
      tests:
        - vars: { n: 1 }
      """
    ])
    let r = try await CLI.run(["run", "--max-retries", "0"], in: dir)
    #expect(r.status == 4, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("[REDACTED]"), "\(r.stdout)")
    try Self.expectNoLeak(of: "pa55word-xyz", in: dir, r)
    try Self.expectNoLeak(of: "qwerty123456", in: dir, r)
  }
}
