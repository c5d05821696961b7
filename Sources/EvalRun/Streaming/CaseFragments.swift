import EvalCore
import EvalReports
import Foundation

/// What the run rendered for each case as it finished (its results.json line, JUnit test case and
/// report.html row), kept in a ``SpillFile`` and read back one case at a time while the reports are
/// assembled. A case without a kept piece is rendered by the report itself.
public struct CaseFragments: Sendable {
  /// Where one case's pieces are: one after another in the spill file from `offset`, in the order
  /// results.json line, JUnit test case, report.html row; a length of −1 for a piece not kept. The JUnit
  /// test case is rendered under ``JUnitReport/baseName(_:manyPrompts:)`` (the report renders it again under
  /// another name).
  struct Entry: Sendable {
    var offset: Int64
    var json: Int32 = -1
    var junit: Int32 = -1
    var html: Int32 = -1

    var jsonSpan: SpillFile.Span? { json < 0 ? nil : .init(offset: offset, length: json) }
    var junitSpan: SpillFile.Span? {
      junit < 0 ? nil : .init(offset: offset + Int64(max(json, 0)), length: junit)
    }
    var htmlSpan: SpillFile.Span? {
      html < 0 ? nil : .init(offset: offset + Int64(max(json, 0)) + Int64(max(junit, 0)), length: html)
    }
    /// Whether every piece is kept.
    var isComplete: Bool { json >= 0 && junit >= 0 && html >= 0 }
  }

  /// The entries by case id: keyed by the id's 64 bits (``CaseID/number``) for the ids evalgate derives,
  /// about 40 bytes a case where a string key and optional spans took about 200.
  struct Index: Sendable {
    private var byNumber: [UInt64: Entry] = [:]
    private var byText: [CaseID: Entry] = [:]

    mutating func reserveCapacity(_ n: Int) { byNumber.reserveCapacity(n) }

    subscript(id: CaseID) -> Entry? {
      get { id.number.map { byNumber[$0] } ?? byText[id] }
      set {
        if let n = id.number { byNumber[n] = newValue } else { byText[id] = newValue }
      }
    }
  }

  let spill: SpillFile?
  let entries: Index
  /// The suites whose JUnit names carry the prompt.
  var suitesWithManyPrompts: Set<String> = []
  /// Whether the run held its passing cases compacted (``ResultsStream/collect(_:)``).
  var compacted = false

  /// No kept pieces: the reports render every case.
  public static let none = CaseFragments(spill: nil, entries: Index())

  public func json(_ id: CaseID) -> [UInt8]? {
    entries[id]?.jsonSpan.flatMap { spill?.read($0) }
  }

  public func junit(_ c: CaseResult) -> JUnitReport.Fragment? {
    guard let span = entries[c.id]?.junitSpan, let bytes = spill?.read(span) else { return nil }
    return JUnitReport.Fragment(
      name: JUnitReport.baseName(c, manyPrompts: suitesWithManyPrompts.contains(c.suite)), bytes: bytes)
  }

  /// A case whole, read back from its results.json line when the run held it compacted
  /// (``CaseResult/compacted()``), for a report that renders it again (a regression, a new name).
  public func whole(_ c: CaseResult) -> CaseResult {
    guard compacted, c.outcome == .passed, let line = json(c.id),
      let decoded = try? JSONDecoder().decode(CaseResult.self, from: Data(line)),
      decoded.id == c.id
    else { return c }
    return decoded
  }

  public func html(_ id: CaseID) -> String? {
    entries[id]?.htmlSpan.flatMap { spill?.read($0) }.map { String(decoding: $0, as: UTF8.self) }
  }
}
