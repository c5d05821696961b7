import Foundation

/// One run as the history keeps it: what ran, how it was judged, and each case's outcome and score by id,
/// enough to pair cases across runs for drift detection. Carries its audit record.
public struct RunRecord: Sendable, Hashable, Codable {
  /// The command that produced the run.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// `evalgate run`.
    case run
    /// `evalgate canary`.
    case canary
    /// `evalgate merge`.
    case merge
    /// `evalgate history import` (backfilled from a results.json).
    case imported
  }

  /// One case's outcome in the run.
  public struct CaseOutcome: Sendable, Hashable, Codable {
    /// The stable case id.
    public var id: String
    /// The suite id.
    public var suite: String
    /// `passed`, `failed`, `errored` or `skipped`.
    public var outcome: Outcome
    /// The weighted score, 0…1, when judged.
    public var score: Double?
    /// Named metric scores (means over the case's samples).
    public var scores: [String: Double]?
    /// Mean latency of the case's answered samples, milliseconds.
    public var latencyMs: Double?

    /// Creates a case outcome.
    public init(
      id: String, suite: String, outcome: Outcome, score: Double? = nil, scores: [String: Double]? = nil,
      latencyMs: Double? = nil
    ) {
      self.id = id
      self.suite = suite
      self.outcome = outcome
      self.score = score
      self.scores = scores
      self.latencyMs = latencyMs
    }

    /// Whether the case counts as passed for a pass rate; `nil` when it was not judged (errored, skipped).
    public var passed: Bool? {
      switch outcome {
      case .passed: true
      case .failed: false
      case .errored, .skipped: nil
      }
    }
  }

  /// A unique run id (time-ordered; printed by `history list`).
  public var id: String
  /// Which command produced the run.
  public var kind: Kind
  /// When the run started and ended (UTC).
  public var startedAt: Date
  /// When the run ended (UTC).
  public var finishedAt: Date
  /// The suites that ran, in load order.
  public var suites: [String]
  /// Totals over all cases.
  public var summary: RunSummary
  /// The gate's status.
  public var gate: Gate.Decision.Status
  /// The gate's pass rate over judged cases.
  public var passRate: Double
  /// The baseline verdict word (`PROMOTE`, `HOLD`, `ROLLBACK`) when the run was compared.
  public var verdict: String?
  /// The decision that set the exit code, as its word and reason.
  public var decision: String?
  /// The run's exit code.
  public var exitCode: Int32?
  /// Each case's outcome, in report order.
  public var cases: [CaseOutcome]
  /// Who, when, what code and what inputs: the tamper-evident part.
  public var audit: AuditRecord

  /// Creates a record.
  public init(
    id: String, kind: Kind, startedAt: Date, finishedAt: Date, suites: [String], summary: RunSummary,
    gate: Gate.Decision.Status, passRate: Double, verdict: String? = nil, decision: String? = nil,
    exitCode: Int32? = nil, cases: [CaseOutcome], audit: AuditRecord
  ) {
    self.id = id
    self.kind = kind
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.suites = suites
    self.summary = summary
    self.gate = gate
    self.passRate = passRate
    self.verdict = verdict
    self.decision = decision
    self.exitCode = exitCode
    self.cases = cases
    self.audit = audit
  }

  /// The cases of one suite.
  public func cases(of suite: String) -> [CaseOutcome] { cases.filter { $0.suite == suite } }

  /// The pass rate of one suite's judged cases, `nil` when none was judged.
  public func passRate(of suite: String) -> Double? {
    let judged = cases(of: suite).compactMap(\.passed)
    return judged.isEmpty ? nil : Double(judged.filter { $0 }.count) / Double(judged.count)
  }

  /// The mean score of one suite's scored cases.
  public func meanScore(of suite: String) -> Double? {
    let scores = cases(of: suite).compactMap(\.score)
    return scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
  }
}
