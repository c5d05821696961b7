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

  /// The entries by case id. An id evalgate derives (16 hex digits) is kept as its 64 bits in a paged list
  /// (``PagedArray``, 32 bytes a case out of the resident memory) in the order the cases were kept, sorted by id
  /// once (``sort()``) to be looked up; other ids in a dictionary.
  struct Index: Sendable {
    /// One case's entry, flat (its id's 64 bits, the entry's fields, and the order it was kept in, so that of
    /// two entries for one id the later is found).
    struct Item {
      var id: UInt64
      var offset: Int64
      var json: Int32
      var junit: Int32
      var html: Int32
      var sequence: UInt32

      var entry: Entry { Entry(offset: offset, json: json, junit: junit, html: html) }
    }

    private var numbered = PagedArray<Item>()
    private var sorted = true
    private var byText: [CaseID: Entry] = [:]

    mutating func reserveCapacity(_ n: Int) { numbered.reserveCapacity(n) }

    /// Keeps `entry` as `id`'s (replacing an earlier one).
    mutating func set(_ entry: Entry, for id: CaseID) {
      guard let n = id.number else {
        byText[id] = entry
        return
      }
      if numbered.count > 0, numbered[numbered.count - 1].id >= n { sorted = false }
      numbered.append(
        Item(
          id: n, offset: entry.offset, json: entry.json, junit: entry.junit, html: entry.html,
          sequence: UInt32(truncatingIfNeeded: numbered.count)))
    }

    /// Puts the entries in id order, the later of two for one id last, so they can be looked up.
    mutating func sort() {
      guard !sorted else { return }
      numbered.sort { ($0.id, $0.sequence) < ($1.id, $1.sequence) }
      sorted = true
    }

    /// `id`'s entry (the one kept last). Before ``sort()``, looked for from the newest back.
    subscript(id: CaseID) -> Entry? {
      guard let n = id.number else { return byText[id] }
      guard sorted else {
        for i in stride(from: numbered.count - 1, through: 0, by: -1) where numbered[i].id == n {
          return numbered[i].entry
        }
        return nil
      }
      let after = numbered.partitioningIndex { $0.id > n }
      guard after > 0 else { return nil }
      let item = numbered[after - 1]
      return item.id == n ? item.entry : nil
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
