import EvalCore
import EvalReports
import Foundation

/// Which expanded cases a run (or `list`) keeps: by tag, by id glob, or those that failed in an earlier
/// run's results.json (`--filter-tag`, `--filter-id`, `--filter-failing`).
public struct CaseFilter: Sendable, Hashable {
  /// Only cases with one of these tags (none: any).
  public var tags: [String]
  /// Only cases whose case id or test id matches one of these globs (none: any).
  public var ids: [String]
  /// Only cases that failed or errored in this results.json.
  public var failing: String?

  /// A filter that keeps the cases matching every condition given.
  public init(tags: [String] = [], ids: [String] = [], failing: String? = nil) {
    self.tags = tags
    self.ids = ids
    self.failing = failing
  }

  /// True when the filter keeps every case.
  public var isEmpty: Bool { tags.isEmpty && ids.isEmpty && failing == nil }

  /// Whether a case is kept (the `failing` file read once, now).
  /// - Throws: ``Diagnostic`` for an unreadable `failing` file.
  public func predicate() throws -> @Sendable (EvalCase) -> Bool {
    guard !isEmpty else { return { _ in true } }
    var failed: Set<CaseID>?
    if let failing {
      guard let data = FileManager.default.contents(atPath: failing) else {
        throw Diagnostic("cannot read '\(failing)'")
      }
      let report = try Baselines.results(Array(data), path: failing)
      failed = Set(report.cases.filter { $0.outcome == .failed || $0.outcome == .errored }.map(\.id))
    }
    let (tags, ids, kept) = (Set(self.tags), self.ids, failed)
    return { c in
      (tags.isEmpty || !tags.isDisjoint(with: c.tags))
        && (ids.isEmpty
          || ids.contains { glob in
            CaseFilter.matches(glob, c.id.rawValue) || c.testID.map { CaseFilter.matches(glob, $0) } == true
          })
        && (kept.map { $0.contains(c.id) } ?? true)
    }
  }

  /// Whether `text` matches the shell glob `glob`.
  public static func matches(_ glob: String, _ text: String) -> Bool { fnmatch(glob, text, 0) == 0 }
}
