import EvalCore
import FakeOpenAIServer
import Foundation
import Testing

/// Where a promptfoo user starts: a folder with `promptfooconfig.yaml` and nothing of evalgate's.
@Suite(.serialized)
struct PromptfooRunTests {
  @Test func runWithNoArgumentsRunsThePromptfooConfigBesideIt() async throws {
    let dir = try CLI.scratch([
      "promptfooconfig.yaml": """
      description: starts here
      sharing: false
      prompts: ["Say {{ word }}"]
      providers: [echo]
      tests:
        - vars: { word: hello }
          assert: [{ type: contains, value: hello }]
      """
    ])
    let r = try await CLI.run(["run", "--no-baseline"], in: dir)
    #expect(r.status == 0, "\(r.stderr)\n\(r.stdout)")
    #expect(r.stderr.contains("promptfooconfig.yaml:2:1: 'sharing' is ignored"), "\(r.stderr)")
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    #expect(json.value(atPath: ["summary", "total"])?.numberValue == 1)
    let warnings = json.value(atPath: ["warnings"])?.arrayValue?.compactMap(\.stringValue) ?? []
    #expect(warnings.contains { $0.contains("'sharing' is ignored") }, "\(warnings)")
  }

  @Test func theDefaultGraderIsAnnouncedOnceAndCalled() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch([
      "a/promptfooconfig.yaml": """
      prompts: ["{{ q }}"]
      providers: [echo]
      tests:
        - vars: { q: "[[reply:yes]]" }
          assert: [{ type: llm-rubric, value: is polite }]
      """,
      "b/promptfooconfig.yaml": """
      prompts: ["{{ q }}"]
      providers: [echo]
      tests:
        - vars: { q: x }
          assert: [{ type: llm-rubric, value: is short }]
      """,
    ])
    let r = try await CLI.run(
      ["run", "a", "b", "--no-baseline", "--max-retries", "0"], in: dir,
      environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": "sk-grader-test"])
    let note = "graded by openai:chat:gpt-4.1-2025-04-14 (promptfoo's default: OPENAI_API_KEY is set)"
    #expect(r.stderr.components(separatedBy: note).count == 2, "\(r.stderr)")
    #expect(server.stats.chatRequests >= 2, "the judge was not called")
    let json = try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)
    #expect(json.contains(note))
  }
}
