import Foundation

/// One loaded suite file: prompts × providers × tests, before expansion into cases.
public struct Suite: Sendable {
  /// Stable suite id: the `id` key, else the file name without its extension.
  public var id: String
  /// The suite file as the user named it.
  public var file: String
  /// Free text from `description`.
  public var description: String?
  /// The prompts, in file order.
  public var prompts: [PromptTemplate]
  /// The providers (endpoints) every prompt runs against, in file order.
  public var providers: [ProviderSpec]
  /// The tests, in file order (after `file://` includes are read); the rows of a vars CSV are read as the
  /// list is walked (see ``TestList``).
  public var tests: TestList
  /// Merged into every test: vars, assertions, threshold, metadata.
  public var defaultTest: TestSpec?
  /// How many samples to take of every case (`repeat`); 1 by default.
  public var repeatCount: Int
  /// Where `repeat` is set, when it is.
  public var repeatLocation: SourceLocation?
  /// The suite's own gate (`verdict: metrics:`): per metric, settings under which the metric is compared
  /// on this suite's cases alone (see ``VerdictPolicy/suites``).
  public var verdictMetrics: [String: VerdictPolicy.MetricOverride] = [:]
  /// Environment variables the suite needs (`requires: env:`), such as the base URL of a local server:
  /// a suite found in a folder is skipped, with a note, while one is unset.
  public var requiredEnvironment: [String] = []
  /// Things the loader accepted but wants said (keys ignored, differences from promptfoo), each with its
  /// location; printed once and recorded in results.json's warnings.
  public var warnings: [String] = []
  /// promptfoo's `derivedMetrics`: computed per prompt × provider after the run, in order.
  public var derivedMetrics: [DerivedMetric] = []
  /// promptfoo's `outputPath`: files (resolved) that also receive the run's results, in the format their
  /// extension names (`.json`, `.jsonl`, `.csv`, `.html`, `.xml`, `.md`).
  public var outputPaths: [String] = []
  /// `evaluateOptions.maxConcurrency`: calls in flight at most to each of the suite's endpoints.
  public var maxConcurrency: Int?
  /// `evaluateOptions.delay`: milliseconds between calls to each of the suite's endpoints (one at a time).
  public var delayMs: Double?
  /// promptfoo's `extensions`: hook functions (see ``ExtensionHooks``).
  public var extensions: [TransformSpec] = []
  /// promptfoo's `nunjucksFilters`: template filters written in code, by name.
  public var nunjucksFilters: [String: TransformSpec] = [:]

  /// The variables of ``requiredEnvironment`` that are unset or empty in `environment`.
  public func missingEnvironment(in environment: [String: String]) -> [String] {
    requiredEnvironment.filter { (environment[$0] ?? "").isEmpty }
  }

  /// The endpoints the suite's cases call: each provider, and each provider with the `config` of a prompt
  /// that sets one merged in (see ``ProviderSpec/merging(promptConfig:)``).
  public var callProviders: [ProviderSpec] {
    var out = providers
    for prompt in prompts where !prompt.config.isEmpty {
      for provider in providers where TestSpec.filter(provider.prompts, matches: prompt.label, id: prompt.id) {
        out.append(provider.merging(promptConfig: prompt.config))
      }
    }
    return out
  }

  /// The judge providers of the suite's model-graded assertions.
  public var judges: [ProviderSpec] {
    func collect(_ specs: [AssertionSpec]) -> [ProviderSpec] {
      specs.flatMap { ($0.judge.map { [$0] } ?? []) + collect($0.children) }
    }
    // Streamed rows have no judge of their own: theirs are the ones a transform gave them.
    let tests: [TestSpec] = tests.listed + (defaultTest.map { [$0] } ?? [])
    let own: [ProviderSpec] = tests.flatMap { t in (t.judge.map { [$0] } ?? []) + collect(t.assertions) }
    return own + self.tests.rowJudges
  }

  /// Creates a suite of held tests.
  public init(
    id: String, file: String, description: String? = nil, prompts: [PromptTemplate],
    providers: [ProviderSpec], tests: [TestSpec], defaultTest: TestSpec? = nil, repeatCount: Int = 1
  ) {
    self.init(
      id: id, file: file, description: description, prompts: prompts, providers: providers,
      tests: TestList(tests), defaultTest: defaultTest, repeatCount: repeatCount)
  }

  /// Creates a suite.
  public init(
    id: String, file: String, description: String? = nil, prompts: [PromptTemplate],
    providers: [ProviderSpec], tests: TestList, defaultTest: TestSpec? = nil, repeatCount: Int = 1
  ) {
    self.id = id
    self.file = file
    self.description = description
    self.prompts = prompts
    self.providers = providers
    self.tests = tests
    self.defaultTest = defaultTest
    self.repeatCount = repeatCount
  }
}
