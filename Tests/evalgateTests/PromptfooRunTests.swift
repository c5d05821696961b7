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
    #expect(r.stderr.contains("promptfooconfig.yaml:2:1: warning: 'sharing' is ignored"), "\(r.stderr)")
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    #expect(json.value(atPath: ["summary", "total"])?.numberValue == 1)
    let warnings = json.value(atPath: ["warnings"])?.arrayValue?.compactMap(\.stringValue) ?? []
    #expect(warnings.contains { $0.contains("'sharing' is ignored") }, "\(warnings)")
  }

  /// promptfoo renders a prompt variable no test defines empty (Nunjucks): a promptfoo config runs so, with
  /// one located warning per variable and file; an evalgate suite refuses it (most often a typo).
  @Test func anUndefinedPromptVariableRendersEmptyInAPromptfooConfigOnly() async throws {
    let body = """
      prompts:
        - "Q: {{ query }} C: {{ context }}"
        - "Again {{ context }}"
      providers: [echo]
      tests:
        - vars: { query: hi }
      """
    let dir = try CLI.scratch([
      "pf/promptfooconfig.yaml": body,
      "schema/eval.yaml": "# yaml-language-server: $schema=https://promptfoo.dev/config-schema.json\n" + body,
      "native/suite.yaml": body,
    ])
    for folder in ["pf", "schema"] {
      let r = try await CLI.run(["run", folder, "--no-baseline", "--no-cache"], in: dir)
      #expect(r.status == 0, "\(folder): \(r.stderr)")
      let lines = r.stderr.split(separator: "\n").filter { $0.contains("prompt variable 'context'") }
      #expect(lines.count == 1, "\(folder): one warning for the variable and file\n\(r.stderr)")
      let file = folder == "pf" ? "pf/promptfooconfig.yaml" : "schema/eval.yaml"
      let warning = ": warning: prompt variable 'context' (template line 1, column "
      #expect(
        lines.first.map { $0.hasPrefix(file + ":") && $0.contains(warning) } == true,
        "\(folder): not a located warning\n\(r.stderr)")
      #expect(lines.first?.hasSuffix("is defined by no test; rendered empty as promptfoo does") == true)
      #expect(!r.stderr.contains("'query'"), "\(r.stderr)")
      let json = try #require(
        JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
      let outputs = Set(
        (json.value(atPath: ["cases"])?.arrayValue ?? []).compactMap {
          $0.value(atPath: ["attempts"])?.arrayValue?.first?.value(atPath: ["output"])?.stringValue
        })
      #expect(outputs == ["Q: hi C: ", "Again "], "\(folder): \(outputs)")
    }
    let native = try await CLI.run(["run", "native", "--no-baseline", "--no-cache"], in: dir)
    #expect(native.status == 2, "\(native.stderr)")
    #expect(native.stderr.contains("native/suite.yaml:2:"), "\(native.stderr)")
    #expect(native.stderr.contains("error: the prompt uses 'context'"), "\(native.stderr)")
    #expect(!native.stderr.contains("rendered empty"), "\(native.stderr)")
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
