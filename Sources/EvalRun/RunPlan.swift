import EvalCore
import EvalReports
import Foundation

/// What shapes one run, resolved once from a command's flags: which suites and cases, how many samples,
/// how calls are made, where reports go and what the run is compared with. A plain value: every field is
/// already parsed; `nil` leaves the choice to evalgate.yaml (or its default). Commands build it from their
/// options; nothing turns it back into arguments.
public struct RunPlan: Sendable, Hashable {
  /// The response cache a run reads and writes.
  public struct Cache: Sendable, Hashable {
    /// The cache file.
    public var path: String
    /// How long a cached response counts.
    public var ttl: Duration

    /// A cache at `path` whose answers count for `ttl`.
    public init(path: String, ttl: Duration) {
      self.path = path
      self.ttl = ttl
    }
  }

  /// Suite files or folders (none: evalgate.yaml's `suites`).
  public var paths: [String] = []
  /// The project config file (`nil`: evalgate.yaml if present).
  public var config: String?
  /// Providers every suite runs against instead of its own: names from evalgate.yaml or provider ids.
  public var providers: [String] = []
  /// Which expanded cases are kept.
  public var filter = CaseFilter()
  /// Only this shard of the cases.
  public var shard: Shard?
  /// Samples per case, over every suite's `repeat`.
  public var repeatCount: Int?
  /// The most cases or samples the suites may expand to (`nil`: `maxCases`, else 10,000,000).
  public var maxCases: Int?
  /// Calls in flight at once.
  public var concurrency: Int?
  /// Per-call timeout.
  public var timeout: Duration?
  /// Retries per call after endpoint failures.
  public var maxRetries: Int?
  /// The gate's minimum pass rate, 0…1.
  public var minPassRate: Double?
  /// Where reports are written.
  public var outputDir: String?
  /// The JUnit shape.
  public var junitProfile: JUnitReport.Profile?
  /// The results.jsonl of an interrupted run to resume.
  public var resume: String?
  /// The baseline file or folder to compare with (`nil`: baselines/ when it exists).
  public var baseline: String?
  /// Gate on the plain pass rate without comparing with baselines.
  public var noBaseline = false
  /// The response cache (`nil`: no cache).
  public var cache: Cache?
  /// Stop starting calls once this many US dollars are spent.
  public var maxCost: Double?
  /// Stop starting calls once this many tokens are used.
  public var maxTokens: Int?
  /// The seed of the verdict's bootstrap and permutation draws (`nil`: the policy's).
  public var seed: UInt64?
  /// Which verdicts fail the run.
  public var failOn: RunDecision.FailOn = .hold

  /// A plan that leaves every choice to evalgate.yaml and the defaults.
  public init() {}

  /// A flag whose value cannot be used, worded for the person who typed it.
  public struct InvalidFlag: Error, Hashable, CustomStringConvertible {
    /// What is wrong, naming the flag: `--repeat must be at least 1`.
    public var message: String

    /// The problem `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
  }

  /// Checks the numbers a person can get wrong, in the order `run --help` lists their flags' checks.
  /// - Throws: ``InvalidFlag`` for the first value out of its range.
  public func checkRanges() throws(InvalidFlag) {
    if let concurrency, concurrency < 1 { throw InvalidFlag("--concurrency must be at least 1") }
    if let repeatCount, repeatCount < 1 { throw InvalidFlag("--repeat must be at least 1") }
    if let maxCost, maxCost <= 0 { throw InvalidFlag("--max-cost must be positive") }
    if let maxTokens, maxTokens <= 0 { throw InvalidFlag("--max-tokens must be positive") }
    if let maxRetries, maxRetries < 0 { throw InvalidFlag("--max-retries must be 0 or more") }
    if let minPassRate, !(0...1).contains(minPassRate) {
      throw InvalidFlag("--min-pass-rate must be between 0 and 1")
    }
  }

  /// `--shard`'s text (`2/4`) as a shard.
  /// - Throws: ``InvalidFlag`` when it is not `i/n` with 1 ≤ i ≤ n.
  public static func shard(_ text: String) throws(InvalidFlag) -> Shard {
    guard let shard = Shard(text) else { throw InvalidFlag("--shard must look like 2/4 (1 ≤ i ≤ n)") }
    return shard
  }

  /// `--timeout`'s text (`30s`, `500ms`, `2m`) as a duration.
  /// - Throws: ``InvalidFlag`` when it is not a duration.
  public static func timeout(_ text: String) throws(InvalidFlag) -> Duration {
    guard let duration = DurationText.parse(text) else {
      throw InvalidFlag("--timeout must look like 30s, 500ms or 2m")
    }
    return duration
  }

  /// `--cache-ttl`'s text (`14d`, `12h`, `30m`) as a duration.
  /// - Throws: ``InvalidFlag`` when it is not a duration.
  public static func cacheTTL(_ text: String) throws(InvalidFlag) -> Duration {
    guard let duration = DurationText.parse(text) else {
      throw InvalidFlag("--cache-ttl must look like 14d, 12h or 30m")
    }
    return duration
  }
}
