import Foundation

/// What drift detection found for one suite: the window's per-run series and each test.
public struct DriftReport: Sendable, Hashable, Codable {
  /// One test of one metric.
  public struct Test: Sendable, Hashable, Codable {
    /// Which statistical test.
    public enum Kind: String, Sendable, Hashable, Codable {
      /// Exact McNemar between the window's oldest and newest runs.
      case mcnemar
      /// The paired trend test along the window.
      case trend
    }

    /// `pass_rate`, `score` or a named metric.
    public var metric: String
    /// Which test.
    public var test: Kind
    /// McNemar: the paired change in pass rate, newest − oldest; trend: the slope per run.
    public var change: Double
    /// One-sided p of decline.
    public var p: Double
    /// Holm-adjusted p across the suite's tests.
    public var adjustedP: Double
    /// Whether the adjusted p is below alpha.
    public var drifting: Bool
    /// Counts behind the test, in words.
    public var detail: String

    /// Creates a test result (adjusted later).
    public init(metric: String, test: Kind, change: Double, p: Double, detail: String) {
      self.metric = metric
      self.test = test
      self.change = change
      self.p = p
      self.adjustedP = p
      self.drifting = false
      self.detail = detail
    }
  }

  /// The suite id.
  public var suite: String
  /// The run ids of the window, oldest first.
  public var runs: [String]
  /// The family-wise alpha.
  public var alpha: Double
  /// Cases judged in every run of the window.
  public var paired: Int
  /// The suite's pass rate per run.
  public var passRate: [Double?]
  /// The suite's mean score per run.
  public var meanScore: [Double?]
  /// The median of the cases' mean latencies per run, milliseconds (shown, not tested: it follows the
  /// machine's load as much as the model).
  public var latencyP50Ms: [Double?]
  /// Every test, in order: pass rate (McNemar, trend), score, named metrics.
  public var tests: [Test]

  /// Creates a report.
  public init(
    suite: String, runs: [String], alpha: Double, paired: Int, passRate: [Double?], meanScore: [Double?],
    latencyP50Ms: [Double?], tests: [Test]
  ) {
    self.suite = suite
    self.runs = runs
    self.alpha = alpha
    self.paired = paired
    self.passRate = passRate
    self.meanScore = meanScore
    self.latencyP50Ms = latencyP50Ms
    self.tests = tests
  }

  /// Whether any metric drifted down.
  public var drifting: Bool { tests.contains(where: \.drifting) }
}
