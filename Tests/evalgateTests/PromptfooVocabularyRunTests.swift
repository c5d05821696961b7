import EvalCore
import FakeOpenAIServer
import Foundation
import Testing

/// promptfoo's vocabulary run end to end: derived metrics in the reports, outputs reused by later tests.
@Suite(.serialized)
struct PromptfooVocabularyRunTests {
  @Test func derivedMetricsArePerPromptInResultsJSONAndTheSummary() async throws {
    let dir = try CLI.scratch([
      "promptfooconfig.yaml": """
      prompts: ['pirate {{ body }}', 'sailor {{ body }}']
      providers: [echo]
      derivedMetrics:
        - name: DoubleTone
          value: Tone * 2 / __count
      tests:
        - vars: { body: ahoy }
          assert: [{ type: contains, value: pirate, metric: Tone }]
        - vars: { body: matey }
          assert: [{ type: contains, value: matey, metric: Tone }]
      """
    ])
    let r = try await CLI.run(["run", "--no-baseline"], in: dir)
    #expect([0, 1].contains(r.status), "\(r.stderr)")
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    let derived = json.value(atPath: ["suites"])?.arrayValue?.first?.value(atPath: ["derivedMetrics"])?.arrayValue ?? []
    let values = Dictionary(
      uniqueKeysWithValues: derived.compactMap { d in
        d.value(atPath: ["prompt"])?.stringValue.map { ($0, d.value(atPath: ["value"])?.numberValue) }
      })
    // pirate: Tone 1 + 1 over 2 samples → 2; sailor: 0 + 1 → 1.
    #expect(values["pirate {{ body }}"] == 2, "\(derived)")
    #expect(values["sailor {{ body }}"] == 1, "\(derived)")
    let summary = try String(contentsOf: dir.appendingPathComponent("reports/summary.md"), encoding: .utf8)
    #expect(summary.contains("| DoubleTone | 2 |"), "\(summary)")
    let html = try String(contentsOf: dir.appendingPathComponent("reports/report.html"), encoding: .utf8)
    #expect(html.contains("<td>DoubleTone</td><td class=\"num\">2</td>"), "\(html.prefix(200))")
    // Run in two shards and merged: computed again over all the cases, the same values.
    for i in 1...2 {
      let shard = try await CLI.run(["run", "--no-baseline", "--shard", "\(i)/2", "-o", "shard\(i)"], in: dir)
      #expect([0, 1].contains(shard.status), "\(shard.stderr)")
    }
    let merged = try await CLI.run(["merge", "shard1", "shard2", "-o", "merged"], in: dir)
    #expect([0, 1].contains(merged.status), "\(merged.stderr)")
    let mergedJSON = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("merged/results.json"), encoding: .utf8)))
    #expect(
      mergedJSON.value(atPath: ["suites"])?.arrayValue?.first?.value(atPath: ["derivedMetrics"])
        == json.value(atPath: ["suites"])?.arrayValue?.first?.value(atPath: ["derivedMetrics"]))
  }

  @Test func storedOutputsReachTheLaterTestsAgainstARealEndpoint() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch([
      "promptfooconfig.yaml": """
      prompts: ['{{message}}']
      providers: [openai:chat:gpt-4o]
      tests:
        - vars: { message: '[[reply:Mango]] pick a fruit' }
          options: { storeOutputAs: favoriteFruit }
        - vars: { message: 'Why do you like {{favoriteFruit}} so much?' }
      """
    ])
    let r = try await CLI.run(
      ["run", "--no-baseline", "-j", "8", "--no-cache"], in: dir,
      environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": "sk-test"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(server.requestsByPrompt["Why do you like Mango so much?"] == 1, "\(server.requestsByPrompt)")
    // Resumed with only the first case finished: the second still reads its answer, without calling it again.
    let lines = try String(contentsOf: dir.appendingPathComponent("reports/results.jsonl"), encoding: .utf8)
      .split(separator: "\n")
    let first = try #require(lines.first { $0.contains("pick a fruit") })
    try (String(first) + "\n").write(to: dir.appendingPathComponent("partial.jsonl"), atomically: true, encoding: .utf8)
    let resumed = try await CLI.run(
      ["run", "--no-baseline", "--no-cache", "--resume", "partial.jsonl", "-o", "again"], in: dir,
      environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": "sk-test"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(server.requestsByPrompt["[[reply:Mango]] pick a fruit"] == 1, "\(server.requestsByPrompt)")
    #expect(server.requestsByPrompt["Why do you like Mango so much?"] == 2, "\(server.requestsByPrompt)")
  }

  @Test func outputPathReceivesTheResultsInTheFormatOfItsExtension() async throws {
    let dir = try CLI.scratch([
      "promptfooconfig.yaml": """
      prompts: ['say {{ word }}']
      providers: [echo]
      outputPath: [out/results.csv, out/results.json, out/junit.xml]
      tests:
        - vars: { word: "=1+1, \\"quoted\\"" }
          assert: [{ type: contains, value: nothing }]
      """
    ])
    let r = try await CLI.run(["run", "--no-baseline"], in: dir)
    #expect(r.status == 1, "\(r.stderr)")
    let csv = try String(contentsOf: dir.appendingPathComponent("out/results.csv"), encoding: .utf8)
    let lines = csv.split(separator: "\r\n")
    #expect(lines.first == "suite,test,prompt,provider,vars,output,outcome,score,reason")
    #expect(lines.count == 2 && lines[1].contains(",failed,0,") && lines[1].contains("contains:"), "\(csv)")
    #expect(lines[1].contains(#""say =1+1, ""quoted""""#), "\(csv)")
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("out/results.json"), encoding: .utf8)))
    #expect(json.value(atPath: ["summary", "failed"])?.numberValue == 1)
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/junit.xml").path))
    let bad = try CLI.scratch(["promptfooconfig.yaml": "prompts: [x]\nproviders: [echo]\noutputPath: out.yaml\n"])
    let refused = try await CLI.run(["run", "--no-baseline"], in: bad)
    #expect(refused.status == 2 && refused.stderr.contains("promptfooconfig.yaml:3:13: error: 'outputPath'"))
  }

  @Test func evaluateOptionsCapAndSpaceTheCallsOfTheSuitesEndpoints() async throws {
    let server = FakeOpenAIServer(configuration: FakeServerConfiguration(latency: .milliseconds(150)))
    try await server.start()
    defer { Task { await server.stop() } }
    let env = ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": "sk-test"]
    let capped = try CLI.scratch([
      "promptfooconfig.yaml": """
      prompts: ['{{ n }}']
      providers: [openai:chat:gpt-4o-mini]
      evaluateOptions: { maxConcurrency: 2 }
      tests:
        - vars: { n: [a, b, c, d, e, f, g, h] }
      """
    ])
    let r = try await CLI.run(["run", "--no-baseline", "--no-cache", "-j", "8"], in: capped, environment: env)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(server.stats.maxInFlight == 2, "\(server.stats)")
    let spaced = try CLI.scratch([
      "promptfooconfig.yaml": """
      prompts: ['{{ n }} spaced']
      providers: [openai:chat:gpt-4o-mini]
      evaluateOptions: { delay: 1000 }
      tests:
        - vars: { n: [a, b, c] }
      """
    ])
    let second = FakeOpenAIServer(configuration: FakeServerConfiguration(latency: .milliseconds(150)))
    try await second.start()
    defer { Task { await second.stop() } }
    let s = try await CLI.run(
      ["run", "--no-baseline", "--no-cache", "-j", "8"], in: spaced,
      environment: ["OPENAI_BASE_URL": second.baseURL, "OPENAI_API_KEY": "sk-test"])
    #expect(s.status == 0, "\(s.stderr)")
    #expect(second.stats.maxInFlight == 1, "\(second.stats)")
    // Three calls a second apart: the run takes over 2 s (concurrently, about 150 ms); times are whole seconds.
    let report = try #require(
      JSONValue.parse(try String(contentsOf: spaced.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    let iso = ISO8601DateFormatter()
    let started = try #require(report.value(atPath: ["startedAt"])?.stringValue.flatMap(iso.date(from:)))
    let finished = try #require(report.value(atPath: ["finishedAt"])?.stringValue.flatMap(iso.date(from:)))
    #expect(finished.timeIntervalSince(started) >= 2, "\(finished.timeIntervalSince(started)) s")
  }

  /// promptfoo gives code assertions a tool-call answer as data (`output[0].function.name`), not as its text.
  @Test(.enabled(if: CodeAssertionRunTests.hasInterpreters, "needs node and python3 on PATH (the workers)"))
  func codeAssertionsGetToolCallsAsData() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch([
      "promptfooconfig.yaml": """
      prompts: ['What is the weather like in {{city}}?']
      providers:
        - id: openai:chat:gpt-4.1-mini
          config:
            tools: [{ type: function, function: { name: get_weather, parameters: { type: object, required: [location], properties: { location: { type: string } } } } }]
      tests:
        - vars: { city: Boston }
          assert:
            - type: is-valid-openai-tools-call
            - type: javascript
              value: output[0].function.name === 'get_weather'
            - type: javascript
              value: JSON.parse(output[0].function.arguments).location.includes('Boston')
            - type: python
              value: output[0]['function']['name'] == 'get_weather'
      """
    ])
    let r = try await CLI.run(
      ["run", "--no-baseline", "--no-cache"], in: dir,
      environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": "sk-test"])
    #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
  }
}
