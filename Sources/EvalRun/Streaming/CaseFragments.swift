import EvalCore
import Foundation
import Synchronization

/// What the run kept of each case as it finished: its results.jsonl line, and the pieces some reporters
/// return (``Reporter/caseFinished(_:)``: JUnit's test case, report.html's row), in a ``SpillFile``, read back one
/// case at a time while the artifacts are written. A case without a kept piece is rendered by the artifact.
public struct CaseFragments: Sendable {
  /// How many reporters of a run can keep pieces.
  public static let slots = 3

  /// Where one case's pieces are: one after another in the spill file from `offset`, its line first and
  /// then each slot's piece; a length of −1 for a piece not kept.
  struct Entry: Sendable {
    var offset: Int64
    var line: Int32 = -1
    var pieces: (Int32, Int32, Int32) = (-1, -1, -1)

    func length(_ slot: Int) -> Int32 {
      switch slot {
      case 0: pieces.0
      case 1: pieces.1
      default: pieces.2
      }
    }

    mutating func setLength(_ length: Int32, slot: Int) {
      switch slot {
      case 0: pieces.0 = length
      case 1: pieces.1 = length
      default: pieces.2 = length
      }
    }

    var lineSpan: SpillFile.Span? { line < 0 ? nil : .init(offset: offset, length: line) }

    func span(_ slot: Int) -> SpillFile.Span? {
      let length = length(slot)
      guard length >= 0 else { return nil }
      var start = offset + Int64(max(line, 0))
      for before in 0..<slot { start += Int64(max(self.length(before), 0)) }
      return .init(offset: start, length: length)
    }

    /// Whether the line and the first `slots` pieces are kept.
    func isComplete(slots: Int) -> Bool { line >= 0 && (0..<slots).allSatisfy { length($0) >= 0 } }
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
      var line: Int32
      var pieces: (Int32, Int32, Int32)
      var sequence: UInt32

      var entry: Entry { Entry(offset: offset, line: line, pieces: pieces) }
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
          id: n, offset: entry.offset, line: entry.line, pieces: entry.pieces,
          sequence: UInt32(truncatingIfNeeded: numbered.count)))
    }

    /// Puts the entries in id order, the later of two for one id last, so they can be looked up.
    mutating func sort() {
      guard !sorted else { return }
      // Sorted here, where the sort is compiled for `Item` (``PagedArray/withUnsafeMutableElements(_:)``).
      numbered.withUnsafeMutableElements { $0.sort { ($0.id, $0.sequence) < ($1.id, $1.sequence) } }
      sorted = true
    }

    /// `id`'s entry (the one kept last), looked for first at `cursor`, which is left after it: artifacts ask for
    /// cases in report order, which within a test is id order, so the entry is mostly the one after the last
    /// found (at 100,000 cases, the binary searches took 160 ms of the reports' CPU, docs/benchmarks.md,
    /// session 22).
    func entry(_ id: CaseID, cursor: inout Int) -> Entry? {
      guard sorted, let n = id.number else { return self[id] }
      let at = cursor
      let next = at < numbered.count && numbered[at].id == n && (at + 1 == numbered.count || numbered[at + 1].id != n)
      guard let found = next ? at : lastPosition(of: n) else { return nil }
      cursor = found + 1
      return numbered[found].entry
    }

    /// Where `n`'s entry (the last of its items) is in the sorted list, by binary search.
    private func lastPosition(of n: UInt64) -> Int? {
      let after = numbered.partitioningIndex { $0.id > n }
      return after > 0 && numbered[after - 1].id == n ? after - 1 : nil
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
      return lastPosition(of: n).map { numbered[$0].entry }
    }
  }

  let spill: SpillFile?
  let entries: Index
  /// Whether the run held the cases that ran compacted (``ResultsStream/collect(_:)``).
  var compacted = false

  /// Nothing kept: the artifacts render every case.
  public static let none = CaseFragments(spill: nil, entries: Index())

  /// The case's results.jsonl line.
  public func line(_ id: CaseID) -> [UInt8]? {
    entries[id]?.lineSpan.flatMap { spill?.read($0) }
  }

  /// The piece the reporter in `slot` kept of the case.
  public func piece(_ slot: Int, of id: CaseID) -> [UInt8]? {
    entries[id]?.span(slot).flatMap { spill?.read($0) }
  }

  /// Where a reader of the fragments last found a case in the index (``line(_:cursor:)``,
  /// ``piece(_:of:cursor:)``): one per reader, as each reads in its own order.
  public final class Cursor: Sendable {
    let position = Mutex(0)

    /// A cursor at the start.
    public init() {}
  }

  /// ``line(_:)``, looked up from `cursor`.
  public func line(_ id: CaseID, cursor: Cursor) -> [UInt8]? {
    cursor.position.withLock { entries.entry(id, cursor: &$0) }?.lineSpan.flatMap { spill?.read($0) }
  }

  /// ``piece(_:of:)``, looked up from `cursor`.
  public func piece(_ slot: Int, of id: CaseID, cursor: Cursor) -> [UInt8]? {
    cursor.position.withLock { entries.entry(id, cursor: &$0) }?.span(slot).flatMap { spill?.read($0) }
  }

  /// A case whole, read back from its line when the run held it compacted (``CaseResult/compacted()``), for an
  /// artifact that renders it again (a regression, a new name) or a report that lists its reasons (the console's
  /// and summary.md's failures).
  public func whole(_ c: CaseResult) -> CaseResult {
    guard compacted, let line = line(c.id),
      let decoded = try? JSONDecoder().decode(CaseResult.self, from: Data(line)),
      decoded.id == c.id
    else { return c }
    return decoded
  }
}
