import EvalTestSupport
import FakeOpenAIServer
import Foundation
import Testing

/// Suites meant for a local server: `requires: env:`, `{{ env.NAME }}` base URLs, and `--provider`, which
/// runs every suite against one endpoint (how scripts/test-real-servers runs the examples on real servers).
@Suite(.serialized)
struct LocalEndpointTests {
  static let localSuite = """
    requires:
      env: [EVALGATE_TEST_LOCAL_URL]
    prompts: ["{{ q }}"]
    providers:
      - id: openai:chat:fake-model
        config: { apiBaseUrl: "{{ env.EVALGATE_TEST_LOCAL_URL }}" }
    tests:
      - vars: { q: "[[reply:pong]]" }
        assert: [{ type: equals, value: pong }]
    """

  static let offlineSuite = """
    prompts: ["{{ q }}"]
    providers: [echo]
    tests:
      - vars: { q: hello }
        assert: [{ type: icontains, value: hello }]
    """

  @Test func aSuiteNeedingAnUnsetVariableIsSkippedWithANoteUnlessNamed() async throws {
    let dir = try CLI.scratch(["suites/local.yaml": Self.localSuite, "suites/offline.yaml": Self.offlineSuite])
    let folder = try await CLI.run(["run", "--no-cache"], in: dir, environment: ["EVALGATE_TEST_LOCAL_URL": ""])
    #expect(folder.status == 0, "\(folder.stderr)")
    let note = "suite 'local' (suites/local.yaml) skipped: it requires EVALGATE_TEST_LOCAL_URL, which is not set"
    #expect(folder.stderr.contains("note: " + note), "\(folder.stderr)")
    #expect(folder.stdout.contains("1 prompt case: 1 passed"), "\(folder.stdout)")
    let json = try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)
    #expect(json.contains(note))
    let validate = try await CLI.run(["validate"], in: dir, environment: ["EVALGATE_TEST_LOCAL_URL": ""])
    #expect(validate.status == 0 && validate.stdout.contains("note: " + note), "\(validate.stdout)")

    let named = try await CLI.run(
      ["run", "suites/local.yaml", "--no-cache", "-o", "named"], in: dir, environment: ["EVALGATE_TEST_LOCAL_URL": ""])
    #expect(named.status == 2)
    #expect(
      named.stderr.contains(
        "suites/local.yaml:1:1: error: suite 'local' requires the environment variable EVALGATE_TEST_LOCAL_URL"),
      "\(named.stderr)")
    #expect(!CLI.exists(dir, "named"), "a usage error writes nothing")
  }

  @Test func theBaseURLFromTheEnvironmentIsCalledAndKeysTheCache() async throws {
    let first = FakeOpenAIServer()
    let second = FakeOpenAIServer()
    try await first.start()
    try await second.start()
    let dir = try CLI.scratch(["suites/local.yaml": Self.localSuite])
    let a = try await CLI.run(["run"], in: dir, environment: ["EVALGATE_TEST_LOCAL_URL": first.baseURL])
    #expect(a.status == 0, "\(a.stderr)\(a.stdout)")
    #expect(first.stats.chatRequests == 1)
    // Another server behind the same variable is another endpoint: not answered from the first one's cache.
    let b = try await CLI.run(["run"], in: dir, environment: ["EVALGATE_TEST_LOCAL_URL": second.baseURL])
    #expect(b.status == 0, "\(b.stderr)\(b.stdout)")
    #expect(second.stats.chatRequests == 1)
    // The same server again: the cache answers.
    let c = try await CLI.run(["run"], in: dir, environment: ["EVALGATE_TEST_LOCAL_URL": first.baseURL])
    #expect(c.status == 0)
    #expect(first.stats.chatRequests == 1)
    await first.stop()
    await second.stop()
  }

  @Test func anEndpointIgnoringTheTokenLimitIsWarnedAboutOnce() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let dir = try CLI.scratch([
      "suites/limit.yaml": """
      prompts: ["[[reply:one two three four five]] {{ q }}"]
      providers:
        - id: openai:chat:fake-model
          label: ignores-it
          config: { apiBaseUrl: "\(server.baseURL)", max_completion_tokens: 2 }
        - id: openai:chat:fake-model
          label: within-it
          config: { apiBaseUrl: "\(server.baseURL)", max_tokens: 64 }
      tests:
        - vars: { q: [a, b] }
      """
    ])
    let r = try await CLI.run(["run", "--no-baseline", "--no-cache"], in: dir)
    await server.stop()
    #expect(r.status == 0, "\(r.stderr)")
    let warning =
      "ignores-it answered with 5 completion tokens where max_completion_tokens is 2: the endpoint ignores "
      + "max_completion_tokens (llama.cpp does; send max_tokens)"
    #expect(r.stderr.components(separatedBy: warning).count == 2, "\(r.stderr)")
    #expect(!r.stderr.contains("within-it answered"), "\(r.stderr)")
    let json = try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)
    #expect(json.contains(warning))
  }

  @Test func providerRunsEverySuiteAgainstOneEndpoint() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let dir = try CLI.scratch([
      "evalgate.yaml": """
      version: 1
      providers:
        local:
          id: openai:chat:fake-model
          config: { apiBaseUrl: "\(server.baseURL)", temperature: 0, max_tokens: 32 }
      """,
      "suites/offline.yaml": Self.offlineSuite,
      "suites/other.yaml": """
      prompts: ["[[reply:pong]] {{ q }}"]
      providers:
        - id: scripted
          config: { default: never called }
      tests:
        - vars: { q: [x, y] }
          assert: [{ type: equals, value: pong }]
      """,
    ])
    let named = try await CLI.run(["run", "--provider", "local", "--no-cache", "--no-baseline"], in: dir)
    #expect(named.status == 0, "\(named.stderr)\(named.stdout)")
    #expect(server.stats.chatRequests == 3)
    let results =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: dir.appendingPathComponent("reports/results.json"))) as? [String: Any]
    let providers = (results?["cases"] as? [[String: Any]] ?? []).compactMap { $0["provider"] as? String }
    #expect(providers == ["local", "local", "local"], "\(providers)")

    // A provider id works as well, its base URL from the environment.
    let byID = try await CLI.run(
      ["run", "suites/other.yaml", "--provider", "openai:chat:fake-model", "--no-cache", "-o", "by-id"], in: dir,
      environment: ["OPENAI_BASE_URL": server.baseURL])
    #expect(byID.status == 0, "\(byID.stderr)\(byID.stdout)")
    #expect(server.stats.chatRequests == 5)

    let typo = try await CLI.run(["run", "--provider", "locl", "--no-cache", "-o", "typo"], in: dir)
    #expect(typo.status == 2)
    #expect(typo.stderr.contains("--provider 'locl' is neither a provider named in evalgate.yaml"), "\(typo.stderr)")
    #expect(typo.stderr.contains("did you mean 'local'?"), "\(typo.stderr)")
    await server.stop()
  }
}
