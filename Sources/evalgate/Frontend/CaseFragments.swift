import EvalCore
import EvalReports
import Foundation

/// What the run rendered for each case as it finished (its results.json line, JUnit test case and
/// report.html row), kept in a ``SpillFile`` and read back one case at a time while the reports are
/// assembled. A case without a kept piece is rendered by the report itself.
struct CaseFragments: Sendable {
  /// Where one case's pieces are.
  struct Entry: Sendable {
    var json: SpillFile.Span?
    /// The JUnit test case, rendered under ``JUnitReport/baseName(_:manyPrompts:)`` (the report renders it
    /// again under another name).
    var junit: SpillFile.Span?
    var html: SpillFile.Span?
  }

  let spill: SpillFile?
  let entries: [CaseID: Entry]
  /// The suites whose JUnit names carry the prompt.
  var suitesWithManyPrompts: Set<String> = []
  /// Whether the run held its passing cases compacted (``ResultsStream/collect(_:)``).
  var compacted = false

  /// No kept pieces: the reports render every case.
  static let none = CaseFragments(spill: nil, entries: [:])

  func json(_ id: CaseID) -> [UInt8]? {
    entries[id]?.json.flatMap { spill?.read($0) }
  }

  func junit(_ c: CaseResult) -> JUnitReport.Fragment? {
    guard let span = entries[c.id]?.junit, let bytes = spill?.read(span) else { return nil }
    return JUnitReport.Fragment(
      name: JUnitReport.baseName(c, manyPrompts: suitesWithManyPrompts.contains(c.suite)), bytes: bytes)
  }

  /// A case whole, read back from its results.json line when the run held it compacted
  /// (``CaseResult/compacted()``), for a report that renders it again (a regression, a new name).
  func whole(_ c: CaseResult) -> CaseResult {
    guard compacted, c.outcome == .passed, let line = json(c.id),
      let decoded = try? JSONDecoder().decode(CaseResult.self, from: Data(line)),
      decoded.id == c.id
    else { return c }
    return decoded
  }

  func html(_ id: CaseID) -> String? {
    entries[id]?.html.flatMap { spill?.read($0) }.map { String(decoding: $0, as: UTF8.self) }
  }
}
