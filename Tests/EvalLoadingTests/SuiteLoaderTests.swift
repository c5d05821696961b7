import EvalCore
import EvalLoading
import Foundation
import Testing

struct SuiteLoaderTests {
  static func write(_ files: [String: String]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-loader-\(UUID().uuidString)")
    for (name, text) in files {
      let url = dir.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return dir
  }

  @Test func promptfooStyleConfigLoads() throws {
    let dir = try Self.write([
      "suite.yaml": """
      description: promptfoo style
      prompts:
        - "Answer: {{question}}"
        - file://prompts/two.txt
      providers:
        - id: openai:chat:gpt-4o-mini
          config:
            apiBaseUrl: http://127.0.0.1:9/v1
            temperature: 0
            max_tokens: 50
            seed: 7
      defaultTest:
        assert:
          - type: icontains
            value: "{{expected}}"
      tests:
        - description: first
          vars: { question: "2+2?", expected: "4" }
          threshold: 0.5
          metadata: { owner: qa }
        - file://tests.csv
        - file://tests.jsonl
        - file://more.yaml
      """,
      "prompts/two.txt": "First {{question}}\n---\nSecond {{question}}\n",
      "tests.csv": "question,expected,__expected,__description\n\"What, exactly?\",x,contains:x,from csv\n",
      "tests.jsonl": #"{"question": "bare vars", "expected": "y"}"# + "\n"
        + #"{"vars": {"question": "q", "expected": "z"}, "assert": [{"type": "contains", "value": "z"}]}"# + "\n",
      "more.yaml": "- vars: { question: yaml, expected: w }\n",
    ])
    let loaded = try SuiteLoader(project: ProjectConfig()).load(file: dir.appendingPathComponent("suite.yaml").path)
    let suite = loaded.suite
    #expect(suite.id == "suite")
    #expect(suite.prompts.count == 3)
    #expect(suite.prompts.map(\.label).suffix(2) == ["two.txt#1", "two.txt#2"])
    #expect(suite.providers[0].config["temperature"] == 0)
    #expect(suite.tests.count == 5)
    let csv = Array(suite.tests)[1]
    #expect(csv.vars["question"] == "What, exactly?")
    #expect(csv.description == "from csv")
    #expect(csv.assertions.map(\.type) == ["contains"])
    #expect(csv.location.line == 2)
    #expect(Array(suite.tests)[2].vars["question"] == "bare vars")
    #expect(Array(suite.tests)[3].assertions.count == 1)
    #expect(Array(suite.tests)[3].location.line == 2)
    #expect(loaded.includes.count == 4)
    let cases = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    #expect(cases.count == 3 * 1 * 5)
  }

  @Test func namedProvidersComeFromTheProjectConfig() throws {
    let dir = try Self.write([
      "evalgate.yaml": """
      version: 1
      concurrency: 16
      timeout: 2s
      providers:
        local:
          id: openai:chat:gemma
          config: { apiBaseUrl: "http://127.0.0.1:8080/v1" }
      defaultProviders: [local]
      gate: { minPassRate: 0.95 }
      retry: { maxRetries: 2, baseDelay: 100ms, maxDelay: 10s, caseDeadline: 2m }
      prices: { gemma: { input: 0.1, output: 0.2 } }
      junit: { profile: strict }
      verdict:
        criticalAlpha: 0.02
        passScore: 90
        marginalScore: 60
        inconclusive: pass
        seed: 7
        mustPass: [0123456789abcdef]
        metrics:
          latency: { tolerance: 0.3, critical: true }
          "score:helpful": { weight: 0 }
          "score:toxicity": { direction: lower }
        suites:
          b: { metrics: { pass_rate: { critical: false } } }
      """,
      "a.yaml": "prompts: [hi]\n",
      "b.yaml": """
      prompts: [hi]
      providers: [local, echo]
      verdict:
        metrics:
          pass_rate: { tolerance: 0, critical: true }
          latency: { tolerance: 0.5 }
      """,
    ])
    let project = try ProjectConfigLoader.load(path: dir.appendingPathComponent("evalgate.yaml").path)
    #expect(project.concurrency == 16)
    #expect(project.timeout == .seconds(2))
    #expect(project.gate.minPassRate == 0.95)
    #expect(project.junitProfile == "strict")
    #expect(project.retry.maxRetries == 2)
    #expect(project.prices["gemma"] == Price(input: 0.1, output: 0.2))
    #expect(project.retry.baseDelay == .milliseconds(100))
    #expect(project.retry.maxDelay == .seconds(10))
    #expect(project.retry.caseDeadline == .seconds(120))
    let v = project.verdict
    #expect(v.criticalAlpha == 0.02 && v.passScore == 90 && v.marginalScore == 60 && v.inconclusive == .pass)
    #expect(v.seed == 7 && v.mustPass == [CaseID(rawValue: "0123456789abcdef")])
    let latency = v.applying(to: MetricSpec(kind: .latency))
    #expect(latency.tolerance == 0.3 && latency.margin == 0.75 && latency.critical)
    #expect(v.applying(to: MetricSpec(kind: .score, scoreName: "helpful")).weight == 0)
    #expect(v.applying(to: MetricSpec(kind: .score, scoreName: "toxicity")).direction == .lower)
    #expect(MetricSpec(kind: .latency).direction == .lower && MetricSpec(kind: .score).direction == .higher)
    #expect(v.applying(to: MetricSpec(kind: .passRate)) == MetricSpec(kind: .passRate))
    let loader = SuiteLoader(project: project)
    let a = try loader.load(file: dir.appendingPathComponent("a.yaml").path).suite
    #expect(a.providers.map(\.label) == ["local"])
    #expect(a.tests.count == 1)
    let b = try loader.load(file: dir.appendingPathComponent("b.yaml").path).suite
    #expect(b.providers.map(\.id) == ["openai:chat:gemma", "echo"])
    // The suite's own gate, under evalgate.yaml's settings for the same suite and metric.
    #expect(b.verdictMetrics["pass_rate"] == .init(tolerance: 0, critical: true))
    let gated = v.adding(suiteGates: [b.id: b.verdictMetrics, a.id: a.verdictMetrics])
    #expect(gated.suites.keys.sorted() == ["b"])
    #expect(gated.suites["b"]?["pass_rate"] == .init(tolerance: 0, critical: false))
    let scoped = gated.suiteMetrics(pooled: MetricSpec.defaults(scoreNames: []).map(gated.applying))
    #expect(scoped.map(\.name) == ["b/latency", "b/pass_rate"])
    #expect(scoped.allSatisfy { $0.suite == "b" })
    // Project-wide latency settings first (critical), then the suite's tolerance over them.
    #expect(scoped[0].tolerance == 0.5 && scoped[0].margin == 1.25 && scoped[0].critical)
    #expect(scoped[1].tolerance == 0 && !scoped[1].critical)
  }

  @Test func discoverySkipsIncludesAndUnderscoreFolders() throws {
    let dir = try Self.write([
      "one.yaml": "prompts: [x]\nproviders: [echo]\n",
      "nested/two.yml": "prompts: [x]\nproviders: [echo]\n",
      "_data/vars.yaml": "q: 1\n",
      "list.yaml": "- vars: {q: 1}\n",
      "notes.txt": "not yaml",
    ])
    let files = try SuiteDiscovery.files(in: [dir.path])
    #expect(Set(files.map { ($0 as NSString).lastPathComponent }) == ["one.yaml", "two.yml"])
  }

  @Test func mustPassTagsTheTest() throws {
    let dir = try Self.write([
      "s.yaml": """
      prompts: [x]
      providers: [echo]
      tests:
        - description: refunds
          must_pass: true
          tags: [billing]
        - description: small talk
          must_pass: false
      """
    ])
    let suite = try SuiteLoader(project: ProjectConfig()).load(file: dir.appendingPathComponent("s.yaml").path).suite
    #expect(suite.tests.map(\.tags) == [["billing", "must-pass"], []])
    let bad = try Self.write(["s.yaml": "prompts: [x]\nproviders: [echo]\ntests:\n  - must_pass: sometimes\n"])
    #expect(throws: Diagnostic.self) {
      try SuiteLoader(project: ProjectConfig()).load(file: bad.appendingPathComponent("s.yaml").path)
    }
  }

  @Test func requiresNamesTheEnvironmentASuiteNeeds() throws {
    let dir = try Self.write([
      "s.yaml": "requires:\n  env: [LOCAL_URL, LOCAL_KEY]\nprompts: [x]\nproviders: [echo]\n",
      "one.yaml": "requires: { env: LOCAL_URL }\nprompts: [x]\nproviders: [echo]\n",
      "bad.yaml": "requires:\n  envs: [LOCAL_URL]\nprompts: [x]\nproviders: [echo]\n",
    ])
    let loader = SuiteLoader(project: ProjectConfig())
    let suite = try loader.load(file: dir.appendingPathComponent("s.yaml").path).suite
    #expect(suite.requiredEnvironment == ["LOCAL_URL", "LOCAL_KEY"])
    #expect(suite.missingEnvironment(in: ["LOCAL_URL": "http://127.0.0.1:1/v1", "LOCAL_KEY": ""]) == ["LOCAL_KEY"])
    #expect(suite.missingEnvironment(in: ["LOCAL_URL": "x", "LOCAL_KEY": "y"]).isEmpty)
    #expect(
      try loader.load(file: dir.appendingPathComponent("one.yaml").path).suite.requiredEnvironment == ["LOCAL_URL"])
    do {
      _ = try loader.load(file: dir.appendingPathComponent("bad.yaml").path)
      Issue.record("an unknown key under 'requires' loaded")
    } catch let d as Diagnostic {
      #expect(d.location?.line == 2, "\(d)")
      #expect(d.message.contains("'envs'") && d.message.contains("did you mean 'env'?"), "\(d.message)")
    }
  }

  @Test func missingPathIsAnError() {
    #expect(throws: Diagnostic.self) { try SuiteDiscovery.files(in: ["/nonexistent/evalgate"]) }
  }

  @Test func csvShorthandParsesThresholdsAndNegation() throws {
    let loc = EvalCore.SourceLocation(file: "t.csv", line: 2)
    let tests = try Self.write([
      "s.yaml": "prompts: [x]\nproviders: [echo]\ntests: file://t.csv\n",
      "t.csv": "q,__expected1,__expected2,__expected3\na,not-icontains:bad,levenshtein(2):abc,plain answer\n",
    ])
    let suite = try SuiteLoader(project: ProjectConfig()).load(file: tests.appendingPathComponent("s.yaml").path).suite
    let specs = Array(suite.tests)[0].assertions
    #expect(specs.map(\.displayType) == ["not-icontains", "levenshtein", "equals"])
    #expect(specs[1].threshold == 2)
    #expect(specs[2].value == "plain answer")
    #expect(specs[0].location.line == loc.line)
  }
}
