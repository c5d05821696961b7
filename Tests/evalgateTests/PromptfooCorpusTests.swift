import EvalCore
import FakeOpenAIServer
import Foundation
import Testing

/// Every config of promptfoo's examples (`../shared/reference/promptfoo-examples`, unmodified) run as a
/// migrating user would, against the in-repo fake server: each either runs, or is refused with a located
/// error naming the feature.
@Suite(.serialized)
struct PromptfooCorpusTests {
  static let corpus = CLI.packageRoot.deletingLastPathComponent().appendingPathComponent(
    "shared/reference/promptfoo-examples")
  static var corpusPresent: Bool {
    FileManager.default.fileExists(atPath: corpus.appendingPathComponent("README.md").path)
  }

  /// What an example is expected to do.
  enum Outcome: Equatable {
    /// Loads and runs: every case is sent to the fake server (or `echo`).
    case runs
    /// Loads and expands (`evalgate list`), but calls an endpoint fixed in the config (a host name,
    /// localhost port), so it is not run here.
    case loads(String)
    /// Refused, naming this feature in a located error, until the code workers (issue 16 item 4) land.
    case needsCodeWorkers(String)
    /// Refused, naming this feature in a located error.
    case refused(String)
  }

  /// The examples that run code evalgate's workers do not run yet (code providers, prompt functions,
  /// `exec:` prompts, Python test generators, vars from code, `assertScoringFunction`, assertion-level and
  /// response transforms): refused naming the feature. The workers run javascript/python assertions and
  /// `options.transform`, so the examples that need only those are in ``expected`` as `.runs`.
  static let needsCodeWorkers: [String: String] = [
    "config-dynamic-var/promptfooconfig.yaml": "load_prompt.py",
    "config-executable-prompts/promptfooconfig.yaml": "exec:",
    "custom-provider/promptfooconfig-vercel-ai.yaml": "vercelAiProvider.js",
    "eval-assertion-scoring-override/promptfooconfig.yaml": "assertScoringFunction",
    "eval-rag-full/promptfooconfig.yaml": "retrieve.py",
    "eval-rag-full/promptfooconfig.with-asserts.yaml": "retrieve.py",
    "http-provider/promptfooconfig.yaml": "transformResponse",
    "openai-tools-call/promptfooconfig.yaml": "transform",
    "python-provider/promptfooconfig.yaml": "provider.py",
    "python-test-cases/promptfooconfig.yaml": "test_cases.py",
    "rag-eval/promptfooconfig.contextTransform.yaml": "rag-provider-with-context.js",
  ]

  /// The rest, by config path.
  static let expected: [String: Outcome] = [
    // Need the code workers (javascript/python assertions, options.transform), which run them.
    "config-custom-prompt-function/promptfooconfig.yaml": .refused("prompt_chat.js"),
    // Names file://asserts/assert.js, which the example's folder does not hold (promptfoo fails there too).
    "config-separate-test-configs/promptfooconfig.yaml": .refused("cannot find 'asserts/assert.js'"),
    "config-transform-file/promptfooconfig.yaml": .runs,
    "javascript-assert-external/promptfooconfig.yaml": .runs,
    "python-assert/promptfooconfig-inline.yaml": .runs,
    "python-assert-external/promptfooconfig.yaml": .runs,
    // Refused for a feature other than code.
    // Not a promptfoo assertion type: promptfoo fails on it too.
    "cerebras/promptfooconfig-structured.yaml": .refused("json-schema-valid"),
    // `cost` runs; `options.transformVars` (JavaScript) is refused.
    "config-external-defaulttest/promptfooconfig.yaml": .refused("transformVars"),
    "eval-max-score-selection/promptfooconfig.yaml": .runs,
    "insistence-test/promptfooconfig.yaml": .runs,
    "named-metrics/promptfooconfig.yaml": .runs,
    "ollama/promptfooconfig.function-calling.yaml": .runs,
    // `is-valid-openai-function-call` runs; the assertion-level `transform` (JavaScript) is refused.
    "openai-function-call/promptfooconfig.yaml": .refused("transform"),
    "store-and-reuse-outputs/promptfooconfig.yaml": .runs,
    "structured-outputs-config/promptfooconfig.yaml": .runs,
    "azure/openai/promptfooconfig.yaml": .runs,
    "cerebras/promptfooconfig.yaml": .runs,
    "compare-gpt-temperature/promptfooconfig.yaml": .runs,
    "compare-open-source-models/promptfooconfig.yaml": .runs,
    "config-extension-api/promptfooconfig.yaml": .refused("extensions"),
    "config-multi-turn/promptfooconfig.yaml": .runs,
    "config-tests-per-prompt/promptfooconfig.yaml": .runs,
    "config-tests-per-provider/promptfooconfig.yaml": .runs,
    "config-vars-referencing-vars/promptfooconfig.yaml": .runs,
    // An unquoted comma in a one-column CSV ("Petra, Jordan"): promptfoo's CSV reader rejects it too.
    "csv-dataset-generation/eval.yaml": .refused("row has 2 fields, header has 1"),
    "csv-dataset-generation/generate.yaml": .runs,
    "eval-conversation-relevance/promptfooconfig.yaml": .runs,
    "eval-g-eval/promptfooconfig.yaml": .runs,
    "eval-tool-use/promptfooconfig.yaml": .runs,
    "external-provider-config/promptfooconfig.yaml": .runs,
    "golang-provider/promptfooconfig.yml": .refused("main.go"),
    "jsonl-test-cases/promptfooconfig.yaml": .runs,
    "llama-cpp/promptfooconfig.yaml": .runs,
    "mistral-llama-comparison/promptfooconfig.yaml": .runs,
    "mmlu/promptfooconfig.yaml": .runs,
    "moderation/promptfooconfig.yaml": .runs,
    "multishot/promptfooconfig.yaml": .runs,
    "rag-eval/promptfooconfig.yaml": .runs,
    "sql-validation/promptfooconfig.yaml": .refused("is-sql"),
  ]

  /// The config files of the corpus: `promptfooconfig*.y(a)ml` and the two configs of
  /// csv-dataset-generation.
  static func configs() throws -> [String] {
    var out: [String] = []
    let walker = FileManager.default.enumerator(atPath: corpus.path)
    while let relative = walker?.nextObject() as? String {
      let name = (relative as NSString).lastPathComponent
      let isConfig =
        name.hasPrefix("promptfooconfig") || relative.hasPrefix("csv-dataset-generation/") && name.hasSuffix(".yaml")
      if isConfig, name.hasSuffix(".yaml") || name.hasSuffix(".yml") { out.append(relative) }
    }
    return out.sorted()
  }

  static func outcome(of config: String) -> Outcome? {
    if let feature = needsCodeWorkers[config] { return .needsCodeWorkers(feature) }
    return expected[config]
  }

  @Test(.enabled(if: corpusPresent, "needs ../shared/reference/promptfoo-examples (absent: corpus not run)"))
  func everyExampleRunsOrIsRefusedWithTheNamedFeature() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let root = server.baseURL.hasSuffix("/v1") ? String(server.baseURL.dropLast(3)) : server.baseURL
    var environment = [
      "OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": "sk-corpus-test", "ANTHROPIC_BASE_URL": root,
      "ANTHROPIC_API_KEY": "sk-ant-corpus-test",
    ]
    for vendor in ["OPENROUTER", "CEREBRAS", "GROQ", "TOGETHER", "FIREWORKS", "DEEPSEEK", "MISTRAL"] {
      environment["\(vendor)_BASE_URL"] = server.baseURL
      environment["\(vendor)_API_KEY"] = "corpus-test-key"
    }
    environment["OLLAMA_BASE_URL"] = root
    // The providers that are not OpenAI-compatible, pointed at the fake server's stand-ins for their APIs.
    environment["AZURE_BASE_URL"] = root
    environment["AZURE_API_KEY"] = "corpus-test-key"
    environment["GOOGLE_API_BASE_URL"] = root
    environment["GOOGLE_API_KEY"] = "corpus-test-key"
    environment["LLAMA_BASE_URL"] = root
    environment["HUGGINGFACE_BASE_URL"] = root + "/hf"
    environment["HF_TOKEN"] = "corpus-test-key"
    environment["REPLICATE_BASE_URL"] = root + "/replicate"
    environment["REPLICATE_API_TOKEN"] = "corpus-test-key"
    let configs = try Self.configs()
    #expect(configs.count >= 50, "found \(configs.count) configs")
    var counts: [String: Int] = [:]
    for config in configs {
      guard let expected = Self.outcome(of: config) else {
        Issue.record("\(config): no expected outcome listed")
        continue
      }
      let folder = (config as NSString).deletingLastPathComponent
      let dir = try CLI.scratch()
      try FileManager.default.copyItem(
        at: Self.corpus.appendingPathComponent(folder), to: dir.appendingPathComponent("example"))
      let file = "example/" + (config as NSString).lastPathComponent
      switch expected {
      case .runs:
        counts["runs", default: 0] += 1
        let before = server.stats.chatRequests
        let r = try await CLI.run(
          ["run", file, "--no-baseline", "--no-cache", "--max-retries", "0", "-j", "4"], in: dir,
          environment: environment)
        let called = server.stats.chatRequests - before
        // 4 (could not evaluate) is allowed: the fake server's replies are no judge's verdicts.
        #expect([0, 1, 4].contains(r.status), "\(config): exit \(r.status)\n\(r.stderr)")
        let results = try? String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)
        let total = results.flatMap(JSONValue.parse)?.value(atPath: ["summary", "total"])?.numberValue ?? 0
        #expect(total > 0, "\(config): no cases in results.json\n\(r.stderr)")
        let providers = Set(
          (results.flatMap(JSONValue.parse)?.value(atPath: ["cases"])?.arrayValue ?? []).compactMap {
            $0.value(atPath: ["provider"])?.stringValue
          })
        let echoOnly = providers == ["echo"]
        #expect(called > 0 || echoOnly, "\(config): nothing reached the fake server\n\(r.stdout)")
      case .loads(let why):
        counts["loads", default: 0] += 1
        let r = try await CLI.run(["list", file], in: dir, environment: environment)
        #expect(r.status == 0, "\(config) (\(why)): exit \(r.status)\n\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").count > 0, "\(config): no cases")
      case .needsCodeWorkers(let feature), .refused(let feature):
        counts[expected == .needsCodeWorkers(feature) ? "code workers" : "refused", default: 0] += 1
        let r = try await CLI.run(["list", file], in: dir, environment: environment)
        #expect(r.status == 2, "\(config): exit \(r.status), expected a refusal naming \(feature)\n\(r.stdout)")
        #expect(r.stderr.contains(feature), "\(config): the refusal does not name '\(feature)'\n\(r.stderr)")
        #expect(r.stderr.contains(": error: "), "\(config): the refusal is not located\n\(r.stderr)")
      }
      try? FileManager.default.removeItem(at: dir)
    }
    print("promptfoo corpus: \(configs.count) configs: \(counts)")
  }
}
