import Foundation

/// The project's `evalgate.yaml`: named providers, defaults for runs, and the gate.
/// Every field has a built-in default, so a project without the file still runs.
public struct ProjectConfig: Sendable {
  /// Suite files or folders run when `evalgate run` gets no paths.
  public var suites: [String]
  /// Where reports go.
  public var outputDir: String
  /// Calls in flight.
  public var concurrency: Int
  /// Per-call timeout.
  public var timeout: Duration
  /// Providers by name, usable from suites as `providers: [name]`.
  public var providers: [String: ProviderSpec]
  /// Provider names used by suites that list none.
  public var defaultProviders: [String]
  /// Retries after endpoint failures.
  public var retry: RetryPolicy
  /// Prices by model name (USD per 1M tokens), over evalgate's list prices.
  public var prices: [String: Price] = [:]
  /// The gate.
  public var gate: Gate
  /// The JUnit profile.
  public var junitProfile: String
  /// How runs are compared with baselines (the `verdict` section).
  public var verdict = VerdictPolicy()
  /// The config file, when one was read.
  public var file: String?
  /// The project root: the config file's folder, else the git work tree's root, else the current folder
  /// (set by the loader; suites read files only inside it and `allowPaths`).
  public var root: String?
  /// Folders outside the root that suites may read (`allowPaths:`), resolved against the root.
  public var allowPaths: [String] = []
  /// The most cases a run may expand to (`maxCases:`); more is a located error before anything is built.
  public var maxCases: Int = ProjectConfig.defaultMaxCases

  /// Where run history is kept (`history:`): a path, `sqlite:PATH` or `postgres://…`; `nil` for the default.
  public var history: String?

  /// The default case limit: 10 million.
  public static let defaultMaxCases = 10_000_000

  /// The built-in defaults.
  public init(
    suites: [String] = ["suites"], outputDir: String = "reports", concurrency: Int = 8,
    timeout: Duration = .seconds(60), providers: [String: ProviderSpec] = [:], defaultProviders: [String] = [],
    retry: RetryPolicy = RetryPolicy(), gate: Gate = Gate(), junitProfile: String = "rich", file: String? = nil
  ) {
    self.suites = suites
    self.outputDir = outputDir
    self.concurrency = concurrency
    self.timeout = timeout
    self.providers = providers
    self.defaultProviders = defaultProviders
    self.retry = retry
    self.gate = gate
    self.junitProfile = junitProfile
    self.file = file
  }
}
