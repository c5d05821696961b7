import EvalCore

/// A blessed run of one suite, stored in `baselines/<suite>.json` and reviewed in pull requests: a
/// header saying where it came from, and every case's samples in id order.
public struct Baseline: Sendable, Hashable, Codable {
  /// The file format's version.
  public static let formatVersion = 1

  /// The file format's version.
  public var evalgateBaseline: Int
  /// The tool that wrote it, e.g. `evalgate 0.2.0`.
  public var tool: String
  /// The suite id.
  public var suite: String
  /// The suite file, as the run named it.
  public var suiteFile: String
  /// SHA-256 of the suite file when blessed, when it could be read.
  public var suiteHash: String?
  /// SHA-256 of the project config when blessed, when there was one.
  public var configHash: String?
  /// When it was blessed (ISO 8601, UTC).
  public var createdAt: String
  /// The run it was blessed from: the results file and the run's start.
  public var source: String
  /// Every case, sorted by id.
  public var cases: [CaseRecord]

  /// Creates a baseline; cases are sorted by id.
  public init(
    tool: String, suite: String, suiteFile: String, suiteHash: String?, configHash: String?, createdAt: String,
    source: String, cases: [CaseRecord]
  ) {
    evalgateBaseline = Baseline.formatVersion
    self.tool = tool
    self.suite = suite
    self.suiteFile = suiteFile
    self.suiteHash = suiteHash
    self.configHash = configHash
    self.createdAt = createdAt
    self.source = source
    self.cases = cases.sorted { $0.id < $1.id }
  }
}

extension Baseline {
  /// Whether `other` records the same cases with the same outcomes, differing at most in the fields that
  /// describe the act of blessing rather than the cases: when it was blessed (`createdAt`), the run it
  /// came from (`source`), the evalgate that wrote it (`tool`) and the samples' latencies (`latencyMs`).
  /// Re-blessing such a run changes nothing a reviewer needs, so `baseline accept` leaves the file as it
  /// is (no pull-request diff). The suite's and config's hashes are content: an edited suite or config
  /// rewrites the header.
  public func differsOnlyInTimings(from other: Baseline) -> Bool {
    withoutTimings == other.withoutTimings
  }

  /// This baseline with the fields that change on every bless of the same cases cleared.
  var withoutTimings: Baseline {
    var copy = self
    copy.tool = ""
    copy.createdAt = ""
    copy.source = ""
    copy.cases = cases.map(\.withoutTimings)
    return copy
  }
}

extension CaseRecord {
  /// The record with its samples' latencies cleared: what a bless compares.
  var withoutTimings: CaseRecord {
    var copy = self
    for i in copy.samples.indices { copy.samples[i].latencyMs = nil }
    return copy
  }
}
