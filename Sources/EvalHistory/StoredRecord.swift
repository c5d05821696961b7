import Foundation

/// A run's row as a store keeps it, before its cases are read: the text in the run's row and whether its cases
/// are in chunks beside it (a record whose cases' JSON is over ``SQLiteHistoryStore/chunkBytes``). Read with a
/// ``StoredRecordReader``, which takes the chunks one at a time (``HistoryStore/caseChunk(at:after:)``).
public struct StoredRecord: Sendable, Hashable {
  /// The run's place in append order (``HistoryEntry/position``).
  public var position: Int
  /// The row's text: the whole record's JSON, or, when ``chunked``, the record with an empty case list.
  public var text: Data
  /// Whether the record's cases are in chunks, not in ``text``.
  public var chunked: Bool

  /// A stored row.
  public init(position: Int, text: Data, chunked: Bool) {
    self.position = position
    self.text = text
    self.chunked = chunked
  }
}
