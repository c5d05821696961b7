import EvalCore
import EvalTestSupport
import FakeOpenAIServer
import Foundation
import Testing

@Suite(.serialized)
struct RunCommandTests {
  /// Every JUnit file an end-to-end run writes is well-formed and, where the XSDs are present, valid.
  static func checkJUnit(_ dir: URL, _ name: String = "reports/junit.xml") throws {
    let junit = try [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))
    #expect(XMLChecker.isWellFormed(junit))
    if XMLChecker.referenceAvailable {
      #expect(XMLChecker.validates(junit, schema: "consumer-superset.xsd"))
    }
  }

  @Test func exampleSuitesRunOfflineAndPassTheGate() async throws {
    let dir = try CLI.scratch()
    try FileManager.default.copyItem(
      at: CLI.packageRoot.appendingPathComponent("suites"), to: dir.appendingPathComponent("suites"))
    let r = try await CLI.run(["run"], in: dir)
    #expect(r.status == 0, "\(r.stderr)\n\(r.stdout)")
    #expect(r.stdout.contains("GATE PASSED"))
    for file in ["reports/junit.xml", "reports/results.json", "reports/results.jsonl"] {
      #expect(CLI.exists(dir, file), "missing \(file)")
    }
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    let total = try #require(json.value(atPath: ["summary", "total"])?.numberValue)
    #expect(total >= 10)
    let lines = try String(contentsOf: dir.appendingPathComponent("reports/results.jsonl"), encoding: .utf8)
      .split(separator: "\n")
    #expect(Double(lines.count) == total)
  }

  @Test(.enabled(if: XMLChecker.referenceAvailable, "needs ../shared/reference/junit for the XSDs"))
  func strictProfileValidatesAgainstBothJenkinsSchemas() async throws {
    let dir = try CLI.scratch()
    try FileManager.default.copyItem(
      at: CLI.packageRoot.appendingPathComponent("suites"), to: dir.appendingPathComponent("suites"))
    let r = try await CLI.run(["run", "--junit-profile", "strict", "-o", "strict"], in: dir)
    #expect(r.status == 0)
    let junit = try [UInt8](Data(contentsOf: dir.appendingPathComponent("strict/junit.xml")))
    #expect(XMLChecker.validates(junit, schema: "junit5-jenkins-junit.xsd"))
    #expect(XMLChecker.validates(junit, schema: "jenkins-xunit-junit-10.xsd"))
  }

  @Test func failingGateExitsOne() async throws {
    let dir = try CLI.scratch([
      "suites/s.yaml": """
      prompts: ["hello"]
      providers: [echo]
      tests:
        - assert: [{type: contains, value: hello}]
        - assert: [{type: contains, value: goodbye}]
      """
    ])
    let r = try await CLI.run(["run"], in: dir)
    #expect(r.status == 1)
    #expect(r.stdout.contains("GATE FAILED"))
    #expect(r.stdout.contains("suites/s.yaml:5"))
    try Self.checkJUnit(dir)
    let relaxed = try await CLI.run(["run", "--min-pass-rate", "0.5"], in: dir)
    #expect(relaxed.status == 0)
  }

  @Test func failureLinesNameThePromptWhenASuiteHasSeveral() async throws {
    let dir = try CLI.scratch([
      "suites/two.yaml": """
      prompts:
        - {id: "formal {{ q }}", label: formal}
        - {id: "casual {{ q }}", label: casual}
      providers: [echo]
      tests:
        - vars: {q: hi}
          assert: [{type: contains, value: goodbye}]
      """,
      "suites/one.yaml": """
      prompts: ["only {{ q }}"]
      providers: [echo]
      tests:
        - vars: {q: hi}
          assert: [{type: contains, value: goodbye}]
      """,
    ])
    let r = try await CLI.run(["run", "--no-history"], in: dir)
    #expect(r.status == 1)
    let fails = r.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL ") }
    #expect(fails.count == 3, "\(r.stdout)")
    // The two lines of one test tell apart by prompt; the one-prompt suite's line names only the provider.
    #expect(fails.contains { $0.contains("suites/two.yaml") && $0.hasSuffix("[prompt formal · echo]") }, "\(fails)")
    #expect(fails.contains { $0.contains("suites/two.yaml") && $0.hasSuffix("[prompt casual · echo]") }, "\(fails)")
    #expect(fails.contains { $0.contains("suites/one.yaml") && $0.hasSuffix("[echo]") }, "\(fails)")
  }

  @Test func retrievalFixturesBesideSuitesGateTheRun() async throws {
    let fixture = { (min: Double) in
      """
      retrieval:
        metrics: { ndcg@3: { min: \(min) }, mrr@10: {} }
        queries:
          - { id: q1, relevant: { a: 2, b: 1 }, ranking: [c, a, b] }
          - { id: q2, relevant: { d: 1 }, ranking: [d, e] }
      """
    }
    let dir = try CLI.scratch([
      "suites/s.yaml": """
      prompts: ["hello {{ n }}"]
      providers: [echo]
      tests:
        - vars: { n: [1, 2, 3] }
          assert: [{type: contains, value: hello}]
      """,
      "suites/kb.yaml": fixture(0.95),
    ])
    let failed = try await CLI.run(["run"], in: dir)
    #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
    #expect(failed.stdout.contains("GATE FAILED") && failed.stdout.contains("retrieval: kb: ndcg@3 = 0.8"))
    try Self.checkJUnit(dir)
    let junit = try [UInt8](Data(contentsOf: dir.appendingPathComponent("reports/junit.xml")))
    #expect(XMLChecker.string(junit, "string(/testsuites/@tests)") == "5")  // 3 cases + 2 measures
    #expect(XMLChecker.count(junit, "//testsuite[@name='retrieval: kb']/testcase/failure") == 1)
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    #expect(json.value(atPath: ["retrieval"]) != nil)
    // Blessed, then compared: a PROMOTE verdict does not hide the unmet threshold.
    #expect(try await CLI.run(["baseline", "accept"], in: dir).status == 0)
    let compared = try await CLI.run(["run"], in: dir)
    #expect(
      compared.status == 1 && compared.stdout.hasPrefix("GATE FAILED: retrieval: kb: ndcg@3")
        && compared.stdout.contains("(the prompt suites' verdict is PROMOTE (against baselines))"), "\(compared.stdout)"
    )
    try fixture(0.5).write(to: dir.appendingPathComponent("suites/kb.yaml"), atomically: true, encoding: .utf8)
    #expect(try await CLI.run(["run"], in: dir).status == 0)
    // A fixture alone is judged by its thresholds.
    #expect(try await CLI.run(["run", "suites/kb.yaml", "--no-baseline"], in: dir).status == 0)
    try "retrieval:\n  queries:\n    - { id: q1, relevant: {}, ranking: [a] }\n".write(
      to: dir.appendingPathComponent("suites/kb.yaml"), atomically: true, encoding: .utf8)
    let bad = try await CLI.run(["run"], in: dir)
    #expect(bad.status == 2 && bad.stderr.contains("suites/kb.yaml:3:"), "\(bad.stderr)")
  }

  @Test func aRetrieverThatGotWorseThanItsBaselineIsRolledBack() async throws {
    // 8 queries; the relevant document first in the baseline, third after the change.
    let fixture = { (worse: Bool) in
      "retrieval:\n  metrics: [ndcg@3, mrr@10]\n  queries:\n"
        + (1...8).map { i in
          let ranking = worse ? "[x\(i), y\(i), d\(i)]" : "[d\(i), x\(i), y\(i)]"
          return "    - { id: q\(i), relevant: { d\(i): 1 }, ranking: \(ranking) }\n"
        }.joined()
    }
    let dir = try CLI.scratch(["suites/kb.yaml": fixture(false)])
    #expect(try await CLI.run(["run"], in: dir).status == 0)
    let blessed = try await CLI.run(["baseline", "accept"], in: dir)
    #expect(blessed.stdout.contains("baselines/kb.json: created with 8 cases"), "\(blessed.stdout)")
    #expect(try await CLI.run(["run"], in: dir).stdout.hasPrefix("PROMOTE: "))
    try fixture(true).write(to: dir.appendingPathComponent("suites/kb.yaml"), atomically: true, encoding: .utf8)
    let worse = try await CLI.run(["run"], in: dir)
    #expect(worse.stdout.contains("`score:retrieval/kb/mrr@10` REGRESSED: 1 → 0.3333"), "\(worse.stdout)")
    // Every metric of the only group regressed: score 0, ROLLBACK (exit 1).
    #expect(worse.status == 1 && worse.stdout.hasPrefix("ROLLBACK: score 0 < marginal 75"), "\(worse.stdout)")
  }

  @Test func everyCallErroredExitsFour() async throws {
    let dir = try CLI.scratch([
      "suites/down.yaml": """
      prompts: ["hello"]
      providers:
        - id: openai:chat:m
          config: { apiBaseUrl: "http://127.0.0.1:1/v1" }
      tests:
        - vars: { a: [1, 2, 3] }
      """
    ])
    let r = try await CLI.run(["run", "--max-retries", "0"], in: dir)
    #expect(r.status == 4, "\(r.stderr)")
    #expect(r.stdout.contains("could not evaluate"))
    try Self.checkJUnit(dir)
  }

  @Test func endpointDownStopsWithinSecondsNamingTheEndpoint() async throws {
    let numbers = (0..<500).map(String.init).joined(separator: ", ")
    let dir = try CLI.scratch([
      "suites/down.yaml": """
      prompts: ["{{ n }}"]
      providers:
        - id: openai:chat:m
          label: local-llm
          config: { apiBaseUrl: "http://127.0.0.1:1/v1" }
      tests:
        - vars: { n: [\(numbers)] }
      """
    ])
    let start = ContinuousClock.now
    let r = try await CLI.run(["run"], in: dir)
    let elapsed = ContinuousClock.now - start
    #expect(r.status == 4, "\(r.stderr)")
    #expect(elapsed < .seconds(30), "took \(elapsed)")
    #expect(r.stdout.contains("could not evaluate: local-llm unreachable"), "\(r.stdout)")
    #expect(r.stdout.contains("http://127.0.0.1:1/v1"))
  }

  @Test func secondRunIsServedFromTheCache() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch([
      "suites/s.yaml": """
      prompts: ["{{ n }}"]
      providers:
        - id: openai:chat:fake-model
          config: { apiBaseUrl: "\(server.baseURL)" }
      tests:
        - vars: { n: [1, 2, 3, 4, 5] }
      """
    ])
    #expect(try await CLI.run(["run"], in: dir).status == 0)
    #expect(server.stats.chatRequests == 5)
    let again = try await CLI.run(["run"], in: dir)
    #expect(again.status == 0)
    #expect(server.stats.chatRequests == 5)
    #expect(again.stdout.contains("5 from cache"))
    let json = try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)
    #expect(json.contains(#""cached":true"#))
    #expect(try await CLI.run(["run", "--no-cache"], in: dir).status == 0)
    #expect(server.stats.chatRequests == 10)
    let stats = try await CLI.run(["cache", "stats"], in: dir)
    #expect(stats.stdout.contains("5 entries (0 expired)"), "\(stats.stdout)")
    let cleared = try await CLI.run(["cache", "clear"], in: dir)
    #expect(cleared.stdout.contains("removed 5 entries"))
    #expect(try await CLI.run(["run"], in: dir).status == 0)
    #expect(server.stats.chatRequests == 15)
  }

  @Test func missingKeyIsAConfigErrorThatLeavesNothingBehind() async throws {
    let dir = try CLI.scratch([
      "suites/s.yaml": """
      prompts: [hi]
      providers:
        - id: openai:chat:m
          config: { apiBaseUrl: "http://127.0.0.1:1/v1", apiKeyEnvar: EVALGATE_UNSET_KEY_FOR_TEST }
      """
    ])
    let r = try await CLI.run(["run"], in: dir)
    #expect(r.status == 2)
    #expect(r.stderr.contains("suites/s.yaml:3:5: error: provider 'openai:chat:m' needs an API key"), "\(r.stderr)")
    #expect(!CLI.exists(dir, "reports"))
    #expect(!CLI.exists(dir, ".evalgate"))
  }

  @Test func tokenBudgetStopsTheRunWithExitFour() async throws {
    let dir = try CLI.scratch([
      "suites/s.yaml": """
      prompts: ["one two three four"]
      providers: [echo]
      tests:
        - vars: { n: [1, 2, 3, 4, 5, 6] }
      """
    ])
    let r = try await CLI.run(["run", "-j", "1", "--max-tokens", "16"], in: dir)
    #expect(r.status == 4, "\(r.stdout)\n\(r.stderr)")
    #expect(r.stdout.contains("could not evaluate: budget reached: 16 tokens ≥ --max-tokens 16; 4 cases skipped"))
    try Self.checkJUnit(dir)
  }

  @Test(arguments: ["--bogus", "-j 0", "--junit-profile loose", "--timeout soon", "--max-cost 0"])
  func usageErrorsExitTwo(flags: String) async throws {
    let dir = try CLI.scratch()
    let r = try await CLI.run(["run"] + flags.split(separator: " ").map(String.init), in: dir)
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stderr.contains("Error") || r.stderr.contains("error"))
  }

  @Test func versionAndHelp() async throws {
    let dir = try CLI.scratch()
    let v = try await CLI.run(["--version"], in: dir)
    #expect(v.status == 0)
    #expect(v.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    let h = try await CLI.run(["run", "--help"], in: dir)
    #expect(h.status == 0)
    #expect(h.stdout.contains("Examples:"))
    #expect(h.stdout.contains("--max-concurrency"))
  }

  @Test func malformedCorpusExitsTwoWithLocatedErrorsAndWritesNothing() async throws {
    let corpus = CLI.packageRoot.appendingPathComponent("Tests/EvalLoadingTests/Fixtures/malformed")
    let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".yaml") }
      .sorted()
    #expect(names.count >= 20)
    let dir = try CLI.scratch(["suites/ok.yaml": "prompts: [hi]\nproviders: [echo]\n"])
    for name in names {
      let path = corpus.appendingPathComponent(name).path
      let args = name.hasPrefix("config-") ? ["run", "-c", path, "-o", "out"] : ["run", path, "-o", "out"]
      let r = try await CLI.run(args, in: dir)
      #expect(r.status == 2, "\(name): \(r.stderr)")
      #expect(
        r.stderr.range(of: #"\.(yaml|json|jsonl|csv|txt):\d+:\d+: error: "#, options: .regularExpression) != nil,
        "\(name): \(r.stderr)")
      #expect(!CLI.exists(dir, "out"), "\(name) wrote reports")
    }
  }

  @Test func retrievalRankingsComeFromTheEndpointDuringTheRun() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let search = server.baseURL.replacingOccurrences(of: "/v1", with: "/rag/search")
    let dir = try CLI.scratch([
      "suites/kb.yaml": """
      retrieval:
        metrics: { ndcg@3: { min: 0.4 }, mrr@10: {} }
        provider:
          id: http
          config: { url: "\(search)", body: { query: "{{ query }}", k: 3 }, contextIds: "results.*.id" }
        queries:
          - { id: q1, query: "reset [[docs:a,b,a,c]]", relevant: { a: 1 } }
          - { id: q2, query: "email [[docs:x,y,b]]", relevant: { b: 1 } }
          - { id: q3, query: "down [[fault:500]]", relevant: { c: 1 } }
      """
    ])
    let r = try await CLI.run(["run", "--max-retries", "0"], in: dir)
    await server.stop()
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    // q1: a first (the repeated a kept once); q2: b third; q3: the endpoint failed, so 0.
    #expect(r.stdout.contains("retrieval kb: ndcg@3 0.5, mrr@10 0.4444"), "\(r.stdout)")
    #expect(r.stderr.contains("1 query got no ranking from the endpoint (scored 0): q3"), "\(r.stderr)")
  }

  @Test func llmRubricJudgesThroughAConfiguredProviderAndIsCached() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    // The echo provider repeats the prompt, so each output carries the reply the judge (the fake server)
    // is scripted to give: valid, fenced, prose around the JSON, garbage, cut off.
    let replies = [
      #"{\"pass\": true, \"score\": 0.9, \"reason\": \"polite and correct\"}"#,
      #"```json\n{\"pass\": true, \"score\": 1}\n```"#,
      #"Sure. {\"pass\": false, \"score\": 0.2, \"reason\": \"off topic\"} Hope that helps."#,
      "I think it is fine",
      #"{\"pass\": true, \"sco"#,
    ]
    let dir = try CLI.scratch([
      "suites/judged.yaml": """
      prompts: ["{{ r }}"]
      providers: [echo]
      defaultTest:
        options:
          provider: { id: "openai:chat:judge", config: { apiBaseUrl: "\(server.baseURL)" } }
      tests:
      \(replies.enumerated().map { i, r in
          "  - { id: t\(i), vars: { r: \"[[reply:\(r)]]\" }, assert: [{ type: llm-rubric, value: Is polite }] }"
        }.joined(separator: "\n"))
      """
    ])
    let r = try await CLI.run(["run", "--no-baseline", "--max-retries", "0"], in: dir)
    let calls = server.stats.chatRequests
    #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    let cases = try #require(json.value(atPath: ["cases"])?.arrayValue)
    func outcome(_ id: String) -> (String?, String?) {
      let c = cases.first { $0.value(atPath: ["testID"])?.stringValue == id }
      let reason = c?.value(atPath: ["attempts"])?.arrayValue?.first?.value(atPath: ["assertions"])?.arrayValue?
        .first?.value(atPath: ["reason"])?.stringValue
      return (c?.value(atPath: ["outcome"])?.stringValue, reason)
    }
    #expect(outcome("t0").0 == "passed" && outcome("t0").1 == "judge (llm-rubric@1): polite and correct")
    #expect(outcome("t1").0 == "passed")
    #expect(outcome("t2").0 == "failed" && outcome("t2").1?.contains("off topic") == true)
    // Garbage and a cut-off reply: one re-ask each, then a judge error: errored, never a pass (nor a failure
    // of the model, which answered).
    #expect(outcome("t3").0 == "errored" && outcome("t3").1?.contains("judge error") == true, "\(outcome("t3"))")
    #expect(outcome("t4").0 == "errored" && outcome("t4").1?.contains("unusable judge reply") == true)
    #expect(calls == 7, "5 judge calls and 2 re-asks")
    // Again: every judge reply comes from the response cache.
    _ = try await CLI.run(["run", "--no-baseline", "--max-retries", "0"], in: dir)
    #expect(server.stats.chatRequests == calls)
    await server.stop()
  }

  @Test func similarEmbedsThroughAnOpenAICompatibleEndpoint() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let dir = try CLI.scratch([
      "suites/similar.yaml": """
      prompts: ["{{ a }}"]
      providers: [echo]
      defaultTest:
        assert:
          - type: similar
            value: "refunds are possible within thirty days of delivery"
            provider: { id: "openai:embedding:fake-embed", config: { apiBaseUrl: "\(server.baseURL)" } }
      tests:
        - { id: close, vars: { a: "refunds are possible within thirty days of delivery" } }
        - { id: far, vars: { a: "our office in Berlin opens at nine" } }
      """
    ])
    let r = try await CLI.run(["run", "--no-baseline"], in: dir)
    await server.stop()
    #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("similar: cosine") && r.stdout.contains("1 passed, 1 failed"), "\(r.stdout)")
  }

  @Test func fourShardsMergedEqualTheUnshardedRun() async throws {
    let dir = try CLI.scratch()
    for folder in ["suites", "baselines"] {
      try FileManager.default.copyItem(
        at: CLI.packageRoot.appendingPathComponent(folder), to: dir.appendingPathComponent(folder))
    }
    let whole = try await CLI.run(["run", "-o", "whole"], in: dir)
    #expect(whole.status == 0, "\(whole.stderr)")
    var counts: [Int] = []
    for i in 1...4 {
      let shard = try await CLI.run(["run", "--shard", "\(i)/4", "-o", "shard\(i)"], in: dir)
      #expect(shard.status == 0, "shard \(i): \(shard.stdout)\(shard.stderr)")
      let lines = try String(contentsOf: dir.appendingPathComponent("shard\(i)/results.jsonl"), encoding: .utf8)
      counts.append(lines.split(separator: "\n").count)
    }
    let merged = try await CLI.run(["merge", "shard1", "shard2", "shard3", "shard4", "-o", "merged"], in: dir)
    #expect(merged.status == 0, "\(merged.stdout)\(merged.stderr)")
    // Equal apart from timestamps and durations (a latency assertion's reason quotes one).
    func comparable(_ folder: String) throws -> JSONValue {
      let text = try String(contentsOf: dir.appendingPathComponent("\(folder)/results.json"), encoding: .utf8)
      return Self.withoutDurations(try #require(JSONValue.parse(text)))
    }
    let a = try comparable("whole")
    let b = try comparable("merged")
    #expect(a.value(atPath: ["decision"]) != nil)
    #expect(
      a == b,
      "\(a.value(atPath: ["decision"])?.canonicalJSON ?? "") vs \(b.value(atPath: ["decision"])?.canonicalJSON ?? "")")
    #expect(a.value(atPath: ["verdict", "verdict", "decision"]) == .string("PROMOTE"))
    #expect(counts.reduce(0, +) == a.value(atPath: ["summary", "total"])?.numberValue.map { Int($0) })
    #expect(counts.allSatisfy { $0 > 0 })
    try Self.checkJUnit(dir, "merged/junit.xml")
  }

  static func withoutDurations(_ v: JSONValue) -> JSONValue {
    let volatile: Set<String> = [
      "startedAt", "finishedAt", "durationSeconds", "latencyMs", "timeToFirstTokenMs", "latencyP50Ms", "latencyP90Ms",
      "latencyP95Ms", "latencyP99Ms",
    ]
    switch v {
    case .object(let o):
      var out: [String: JSONValue] = [:]
      for (k, x) in o where !volatile.contains(k) {
        if k == "reason", case .string(let s) = x, s.hasPrefix("latency") { continue }
        out[k] = withoutDurations(x)
      }
      // The verdict's latency metrics compare two runs' timings (reported, not gating).
      if case .array(let metrics)? = out["metrics"] {
        out["metrics"] = .array(
          metrics.filter { $0.value(atPath: ["spec", "kind"])?.stringValue?.hasPrefix("latency") != true })
      }
      return .object(out)
    case .array(let items): return .array(items.map(withoutDurations))
    default: return v
    }
  }

  @Test func validateListAndFiltersCallNothing() async throws {
    let dir = try CLI.scratch([
      "suites/s.yaml": """
      prompts: ["{{ q }}"]
      providers: [echo]
      tests:
        - { id: alpha, vars: { q: a }, tags: [smoke], assert: [{ type: contains, value: a }] }
        - { id: beta, vars: { q: b }, assert: [{ type: contains, value: zzz }] }
        - { id: gamma, vars: { q: c }, tags: [smoke], assert: [{ type: contains, value: c }] }
      """
    ])
    let ok = try await CLI.run(["validate"], in: dir)
    #expect(ok.status == 0 && ok.stdout.contains("OK: 1 suite, 3 prompt cases"), "\(ok.stdout)\(ok.stderr)")
    let tagged = try await CLI.run(["list", "--filter-tag", "smoke"], in: dir)
    #expect(tagged.stdout.split(separator: "\n").count == 2 && tagged.stderr.contains("2 cases"))
    let byID = try await CLI.run(["list", "--filter-id", "b*"], in: dir)
    #expect(byID.stdout.contains("beta") && !byID.stdout.contains("alpha"), "\(byID.stdout)")
    // Run everything, then only what failed: beta alone.
    #expect(try await CLI.run(["run", "--no-baseline"], in: dir).status == 1)
    let again = try await CLI.run(
      ["run", "--no-baseline", "--filter-failing", "reports/results.json", "-o", "rerun"], in: dir)
    #expect(again.status == 1 && again.stdout.contains("1 prompt case: 0 passed, 1 failed"), "\(again.stdout)")
    try "prompts: [hi]\nproviders: [ecko]\n".write(
      to: dir.appendingPathComponent("suites/s.yaml"), atomically: true, encoding: .utf8)
    let bad = try await CLI.run(["validate"], in: dir)
    #expect(
      bad.status == 2 && bad.stderr.contains("suites/s.yaml:2:13: error: unknown provider 'ecko'"), "\(bad.stderr)")
  }

  @Test func initScaffoldsAProjectThatRunsAndKeepsExistingFiles() async throws {
    let dir = try CLI.scratch()
    let first = try await CLI.run(["init"], in: dir)
    #expect(
      first.stdout.contains("created evalgate.yaml") && first.stdout.contains("created .github/workflows/evalgate.yml"))
    let run = try await CLI.run(["run", "--quiet"], in: dir)
    #expect(run.status == 0 && run.stdout == "GATE PASSED: pass rate 100% ≥ required 100%\n", "\(run.stdout)")
    let verbose = try await CLI.run(["run", "--verbose"], in: dir)
    #expect(verbose.stdout.contains("PASS suites/example.yaml"), "\(verbose.stdout)")
    let again = try await CLI.run(["init"], in: dir)
    #expect(again.stdout.contains("kept evalgate.yaml (exists)"))
  }

  @Test func anotherModelAnsweringIsWarnedAboutOnce() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    let dir = try CLI.scratch([
      "suites/m.yaml": """
      prompts: ["{{ q }} [[quirk:other-model]]"]
      providers:
        - id: openai:chat:fake-model
          config: { apiBaseUrl: "\(server.baseURL)" }
      tests:
        - vars: { q: [a, b, c] }
      """
    ])
    let r = try await CLI.run(["run", "--no-baseline", "--no-cache"], in: dir)
    await server.stop()
    #expect(r.status == 0, "\(r.stderr)")
    let warning = "answered as model 'some-other-model', not 'fake-model'"
    #expect(r.stderr.components(separatedBy: warning).count == 2, "\(r.stderr)")
    let json = try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)
    #expect(json.contains("\"warnings\":[") && json.contains(warning))
  }

  @Test func runsAgainstTheFakeServerWithoutLeakingTheKey() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let secret = "sk-evalgate-test-\(UUID().uuidString)"
    let dir = try CLI.scratch([
      "suites/live.yaml": """
      prompts: ["{{ q }}"]
      providers:
        - id: openai:chat:fake-model
          config: { apiBaseUrl: "\(server.baseURL)", apiKeyEnvar: EVALGATE_TEST_KEY }
      tests:
        - vars: { q: "[[reply:pong]]" }
          assert: [{ type: equals, value: pong }]
        - vars: { q: "[[fault:500]]" }
        - vars: { q: "[[fault:429]]" }
        - vars: { q: "[[fault:401]]" }
      """
    ])
    let r = try await CLI.run(
      ["run", "-j", "4", "--max-retries", "0"], in: dir, environment: ["EVALGATE_TEST_KEY": secret])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stdout.contains("3 errored"))
    #expect(server.stats.chatRequests == 4)
    // The server repeated the key in its 401 message; evalgate's copy of that message is redacted.
    #expect(r.stdout.contains("Incorrect API key provided: [REDACTED]"), "\(r.stdout)")
    try Self.checkJUnit(dir)
    let reports = dir.appendingPathComponent("reports")
    for name in try FileManager.default.contentsOfDirectory(atPath: reports.path) {
      let text = try String(contentsOf: reports.appendingPathComponent(name), encoding: .utf8)
      #expect(!text.contains(secret), "\(name) contains the API key")
    }
    #expect(!r.stdout.contains(secret))
    #expect(!r.stderr.contains(secret))
  }

  @Test(.offThePool) func killedRunResumesWithoutCallingFinishedCasesAgain() async throws {
    let server = FakeOpenAIServer(configuration: FakeServerConfiguration(latency: .milliseconds(20)))
    try await server.start()
    defer { Task { await server.stop() } }
    let numbers = (0..<2000).map(String.init).joined(separator: ", ")
    let suite = """
      prompts: ["q{{ n }}"]
      providers:
        - id: openai:chat:fake-model
          config: { apiBaseUrl: "\(server.baseURL)" }
      tests:
        - vars: { n: [\(numbers)] }
          assert: [{ type: starts-with, value: "You said: q" }]
      """
    let dir = try CLI.scratch(["suites/big.yaml": suite])
    let killed = try await CLI.run(["run", "-j", "16", "--no-cache"], in: dir) { process in
      try await CLI.waitForLines(dir.appendingPathComponent("reports/results.jsonl"), atLeast: 150)
      kill(process.processIdentifier, SIGKILL)
    }
    #expect(killed.status == SIGKILL)
    let partial = try String(contentsOf: dir.appendingPathComponent("reports/results.jsonl"), encoding: .utf8)
    let finished = partial.split(separator: "\n").compactMap {
      JSONValue.parse(String($0))?.value(atPath: ["vars", "n"])
    }
    #expect(finished.count > 100 && finished.count < 2000, "finished \(finished.count) before the kill")

    let resumed = try await CLI.run(["run", "-j", "16", "--no-cache", "--resume", "reports/results.jsonl"], in: dir)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("resuming: \(finished.count) of 2000 cases already finished"))
    let counts = server.requestsByPrompt
    for n in finished {
      #expect(counts["q\(n.plainText)"] == 1, "case n=\(n.plainText) was called again")
    }
    #expect(counts.count == 2000)

    // The same final report as an uninterrupted run, apart from times.
    let clean = try CLI.scratch(["suites/big.yaml": suite])
    #expect(try await CLI.run(["run", "-j", "16", "--no-cache"], in: clean).status == 0)
    func comparable(_ dir: URL) throws -> [JSONValue] {
      let json = try #require(
        JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
      return (json.value(atPath: ["cases"])?.arrayValue ?? []).map { c in
        guard case .object(var o) = c else { return c }
        o["attempts"] = .array(
          (o["attempts"]?.arrayValue ?? []).map { a in
            guard case .object(var attempt) = a else { return a }
            attempt["latencyMs"] = nil
            return .object(attempt)
          })
        return .object(o)
      }
    }
    #expect(try comparable(dir) == comparable(clean))
    let lines = try String(contentsOf: dir.appendingPathComponent("reports/results.jsonl"), encoding: .utf8)
    #expect(lines.split(separator: "\n").count == 2000)
  }

  @Test(.offThePool) func interruptWritesReportsForWhatFinished() async throws {
    let server = FakeOpenAIServer(configuration: FakeServerConfiguration(latency: .milliseconds(400)))
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch([
      "suites/slow.yaml": """
      prompts: ["{{ n }}"]
      providers:
        - id: openai:chat:fake-model
          config: { apiBaseUrl: "\(server.baseURL)" }
      tests:
        - vars: { n: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20] }
      """
    ])
    let r = try await CLI.run(["run", "-j", "2"], in: dir) { process in
      try await CLI.waitForLines(dir.appendingPathComponent("reports/results.jsonl"), atLeast: 2)
      kill(process.processIdentifier, SIGINT)
    }
    #expect(r.status == 130, "\(r.stderr)")
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    #expect(json.value(atPath: ["interrupted"]) == true)
    try Self.checkJUnit(dir)
    let passed = json.value(atPath: ["summary", "passed"])?.numberValue ?? 0
    let skipped = json.value(atPath: ["summary", "skipped"])?.numberValue ?? 0
    #expect(passed >= 2)
    #expect(skipped >= 10)
    #expect(passed + skipped == 20)
    #expect(server.stats.chatRequests < 20)
  }
}
