import ArgumentParser
import EvalCore
import EvalReports
import Foundation

/// `--filter-tag`, `--filter-id`, `--filter-failing`: which expanded cases a run (or `list`) keeps.
struct CaseFilters: ParsableArguments {
  @Option(name: .customLong("filter-tag"), help: "Only cases with this tag (repeatable: any of them).")
  var tags: [String] = []

  @Option(
    name: .customLong("filter-id"), help: "Only cases whose case id or test id matches this glob (repeatable).")
  var ids: [String] = []

  @Option(name: .customLong("filter-failing"), help: "Only cases that failed or errored in this results.json.")
  var failing: String?

  var isEmpty: Bool { tags.isEmpty && ids.isEmpty && failing == nil }

  /// The cases the filters keep.
  /// - Throws: ``Diagnostic`` for an unreadable `--filter-failing` file.
  func apply(_ cases: [EvalCase]) throws -> [EvalCase] {
    guard !isEmpty else { return cases }
    return cases.filter(try predicate())
  }

  /// Whether a case is kept (the `--filter-failing` file read once, now).
  /// - Throws: ``Diagnostic`` for an unreadable `--filter-failing` file.
  func predicate() throws -> @Sendable (EvalCase) -> Bool {
    guard !isEmpty else { return { _ in true } }
    var failed: Set<CaseID>?
    if let failing {
      let report = try BaselineStore.readResults(failing)
      failed = Set(report.cases.filter { $0.outcome == .failed || $0.outcome == .errored }.map(\.id))
    }
    let (tags, ids, kept) = (Set(self.tags), self.ids, failed)
    return { c in
      (tags.isEmpty || !tags.isDisjoint(with: c.tags))
        && (ids.isEmpty
          || ids.contains { glob in
            CaseFilters.matches(glob, c.id.rawValue) || c.testID.map { CaseFilters.matches(glob, $0) } == true
          })
        && (kept.map { $0.contains(c.id) } ?? true)
    }
  }

  static func matches(_ glob: String, _ text: String) -> Bool { fnmatch(glob, text, 0) == 0 }
}
