import EvalCore

extension Baselines {
  /// Where a bless comes from, written into each baseline's header.
  public struct Provenance: Sendable, Hashable {
    /// The tool, e.g. `evalgate 0.2.0`.
    public var tool: String
    /// When it is blessed (ISO 8601, UTC).
    public var createdAt: String
    /// The run it is blessed from: the results file and the run's start.
    public var source: String
    /// SHA-256 of the project config, when there is one.
    public var configHash: String?

    /// Creates a provenance.
    public init(tool: String, createdAt: String, source: String, configHash: String?) {
      self.tool = tool
      self.createdAt = createdAt
      self.source = source
      self.configHash = configHash
    }
  }

  /// One suite's baseline after a bless: what it says and what happened to its file.
  public struct Blessing: Sendable, Hashable {
    /// What happened to a baseline file.
    public enum Change: Sendable, Hashable {
      /// There was none: written with this many cases.
      case created(cases: Int)
      /// The old file could not be read (say, merge-conflict markers left in it): written with this many
      /// cases over it, with the reason it could not be read.
      case replacedUnreadable(cases: Int, reason: String)
      /// Written: the new count and the cases added, removed, newly failing and newly passing.
      case changed(cases: Int, added: Int, removed: Int, passToFail: Int, failToPass: Int)
      /// Only timings differ from the file: it is left as it was.
      case unchanged(cases: Int)
    }

    /// The suite (or retrieval fixture) id.
    public var suite: String
    /// The baseline file's name in the baselines folder.
    public var fileName: String
    /// What happened.
    public var change: Change
    /// The file's new bytes; `nil` when it is unchanged and must not be written.
    public var bytes: [UInt8]?

    /// What happened, in a line (after the file's path).
    public var summary: String {
      switch change {
      case .created(let n): return "created with \(n) cases"
      case .replacedUnreadable(let n, let reason):
        return "written with \(n) cases over a file that was not a readable baseline (\(reason))"
      case .unchanged(let n): return "unchanged, \(n) cases (only timings differ: file left as it was)"
      case .changed(let n, let added, let removed, let worse, let better):
        return "\(n) cases; \(added) added, \(removed) removed, \(worse) pass→fail, \(better) fail→pass"
      }
    }
  }

  /// Blesses the suites `chosen` of `report`: one baseline per suite or retrieval fixture, compared with
  /// the baseline it replaces. A baseline that differs from `existing` only in timings
  /// (``Baseline/differsOnlyInTimings(from:)``) is `.unchanged` and gets no bytes. Otherwise its cases
  /// that differ from their old record only in latency keep the old record, so the rewritten file differs
  /// from the old one in its header and the lines of the cases that changed.
  /// - Parameters:
  ///   - report: The run to bless.
  ///   - chosen: Suite ids to bless (all of the report's when empty).
  ///   - resultsPath: The results file, for errors.
  ///   - provenance: The header's tool, time, source and config hash.
  ///   - suiteHash: SHA-256 of a suite file by its path, when it can be read.
  ///   - existing: The current baseline of a suite id, `nil` when there is none; it throws when there is
  ///     a file that cannot be read as a baseline, which is then replaced.
  /// - Throws: ``Diagnostic`` when `chosen` names a suite the report does not have.
  public static func bless(
    _ report: RunReport, suites chosen: [String] = [], resultsPath: String, provenance: Provenance,
    suiteHash: (String) -> String?, existing: (String) throws -> Baseline?
  ) throws -> [Blessing] {
    let ids = report.suiteIDs
    for name in chosen where !ids.contains(name) {
      throw Diagnostic("\(resultsPath) has no suite or retrieval fixture '\(name)'")
    }
    let wanted = chosen.isEmpty ? ids : Set(chosen)
    var bySuite: [String: [CaseRecord]] = [:]
    for record in report.records { bySuite[record.suite, default: []].append(record) }
    // Prompt suites and retrieval fixtures alike: one file each, their cases (or queries) as records.
    let files = report.suites.map { ($0.id, $0.file) } + (report.retrieval ?? []).map { ($0.fixture, $0.file) }
    var out: [Blessing] = []
    for (id, file) in files where wanted.contains(id) {
      let old: Baseline?
      var unreadable: String?
      do {
        old = try existing(id)
      } catch {
        old = nil
        unreadable = (error as? Diagnostic)?.message ?? "\(error)"
      }
      let baseline = Baseline(
        tool: provenance.tool, suite: id, suiteFile: file, suiteHash: suiteHash(file),
        configHash: provenance.configHash, createdAt: provenance.createdAt, source: provenance.source,
        cases: keepingUnchanged(bySuite[id] ?? [], from: old?.cases ?? []))
      var blessing = Blessing(
        suite: id, fileName: fileName(for: id), change: change(from: old?.cases, to: baseline.cases), bytes: nil)
      if let unreadable { blessing.change = .replacedUnreadable(cases: baseline.cases.count, reason: unreadable) }
      if let old, baseline.differsOnlyInTimings(from: old) {
        blessing.change = .unchanged(cases: baseline.cases.count)
      } else {
        blessing.bytes = try BaselineFile.render(baseline)
      }
      out.append(blessing)
    }
    return out
  }

  /// `new`, each record that equals its old one but for latencies replaced by the old one.
  static func keepingUnchanged(_ new: [CaseRecord], from old: [CaseRecord]) -> [CaseRecord] {
    let before = Dictionary(old.map { ($0.id, $0) }) { a, _ in a }
    return new.map { record in
      guard let previous = before[record.id], previous.withoutTimings == record.withoutTimings else { return record }
      return previous
    }
  }

  /// What blessing `new` over `old` changes.
  static func change(from old: [CaseRecord]?, to new: [CaseRecord]) -> Blessing.Change {
    guard let old else { return .created(cases: new.count) }
    let before = Dictionary(old.map { ($0.id, $0) }) { a, _ in a }
    let after = Set(new.map(\.id))
    var worse = 0
    var better = 0
    for c in new {
      guard let b = before[c.id]?.passFraction, let n = c.passFraction else { continue }
      if n < b { worse += 1 } else if n > b { better += 1 }
    }
    return .changed(
      cases: new.count, added: new.filter { before[$0.id] == nil }.count,
      removed: old.filter { !after.contains($0.id) }.count, passToFail: worse, failToPass: better)
  }
}
