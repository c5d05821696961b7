import EvalCore
import Foundation

/// The cases a run is compared with: read from baseline files (`baselines/<suite>.json`) or a run's
/// `results.json`, restricted to what a run covers, with the suites' own gates. Pure: the bytes come
/// from the caller (`BaselineStore` in EvalRun reads the files, the executable writes them).
public struct Baselines: Sendable, Hashable {
  /// The folder `run`, `merge`, `validate` and `explain` read when no path is given, and where
  /// `baseline accept` writes.
  public static let defaultFolder = "baselines"

  /// The cases, from every file.
  public var cases: [CaseRecord]
  /// The suites (and retrieval fixtures) they belong to.
  public var suites: Set<String>
  /// Suites' own gates recorded in a run's `results.json`, by suite id (baseline files carry none).
  public var suiteGates: [String: [String: VerdictPolicy.MetricOverride]]

  /// Creates a set of baseline cases.
  public init(
    cases: [CaseRecord] = [], suites: Set<String> = [],
    suiteGates: [String: [String: VerdictPolicy.MetricOverride]] = [:]
  ) {
    self.cases = cases
    self.suites = suites
    self.suiteGates = suiteGates
  }

  /// What a JSON file given as a comparison side holds.
  public enum Kind: Sendable, Hashable {
    /// A baseline file (`evalgateBaseline` key).
    case baseline
    /// A run's `results.json` (`schemaVersion` and `cases` keys).
    case results
    /// A JSON object that is neither (another report beside the baselines).
    case otherJSON
    /// Not a JSON object at all (a merge conflict left in a baseline, a truncated file).
    case notJSON
  }

  /// What `bytes` hold, from their top-level keys.
  public static func kind(of bytes: [UInt8]) -> Kind {
    guard let top = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { return .notJSON }
    if top["evalgateBaseline"] != nil { return .baseline }
    if top["schemaVersion"] != nil, top["cases"] != nil { return .results }
    return .otherJSON
  }

  /// The file name of a suite's baseline in a baselines folder (`/` in a suite id becomes `_`).
  public static func fileName(for suite: String) -> String {
    suite.replacingOccurrences(of: "/", with: "_") + ".json"
  }

  /// Reads one file given as a comparison side: a baseline file or a run's `results.json`.
  /// - Throws: ``Diagnostic`` located at `path` when it is neither or cannot be decoded.
  public static func parse(_ bytes: [UInt8], path: String) throws -> Baselines {
    switch kind(of: bytes) {
    case .baseline:
      let baseline = try BaselineFile.parse(bytes, path: path)
      return Baselines(cases: baseline.cases, suites: [baseline.suite])
    case .results:
      let report = try results(bytes, path: path)
      return Baselines(cases: report.records, suites: report.suiteIDs, suiteGates: suiteGates(of: report))
    case .otherJSON, .notJSON:
      throw Diagnostic(
        "neither a baseline file nor a run's results.json", at: SourceLocation(file: path, line: 1, column: 1))
    }
  }

  /// Decodes a run's `results.json`.
  /// - Throws: ``Diagnostic`` located at `path` saying what is wrong and at which key.
  public static func results(_ bytes: [UInt8], path: String) throws -> RunReport {
    do {
      return try JSONReport.decode(bytes)
    } catch {
      throw Diagnostic(
        "cannot read results (\(BaselineFile.describe(error)))", at: SourceLocation(file: path, line: 1, column: 1))
    }
  }

  /// The suites' own gates (`gate: metrics:` in a suite file) as a run recorded them, by suite id.
  public static func suiteGates(of report: RunReport) -> [String: [String: VerdictPolicy.MetricOverride]] {
    Dictionary(report.suites.compactMap { s in s.verdictMetrics.map { (s.id, $0) } }) { a, _ in a }
  }

  /// All of `parts` as one set (a baselines folder's files); the first gate recorded for a suite wins.
  public init(merging parts: [Baselines]) {
    self.init()
    for part in parts {
      cases += part.cases
      suites.formUnion(part.suites)
      suiteGates.merge(part.suiteGates) { a, _ in a }
    }
  }

  /// Only the cases of `suites`.
  public func restricted(to suites: Set<String>) -> Baselines {
    Baselines(
      cases: cases.filter { suites.contains($0.suite) }, suites: self.suites.intersection(suites),
      suiteGates: suiteGates.filter { suites.contains($0.key) })
  }

  /// The share of the baseline a run covers: the cases of the suites and retrieval fixtures it ran and,
  /// for a shard (`--shard i/n`), only the cases of that shard. Retrieval queries are not sharded: the
  /// first shard runs every query of a fixture the run includes, so they all stay.
  public func restricted(to report: RunReport, shard: Shard?) -> Baselines {
    var out = restricted(to: report.suiteIDs)
    if let shard {
      let fixtures = Set((report.retrieval ?? []).map(\.fixture))
      out.cases = out.cases.filter {
        fixtures.contains($0.suite) || ($0.provider != "retrieval" && shard.contains($0.id))
      }
    }
    return out
  }
}
