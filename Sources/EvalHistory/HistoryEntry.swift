/// A stored run, before its record is read: where it sits in the store and its run id.
public struct HistoryEntry: Sendable, Hashable {
  /// Its place in append order (the store's sequence number), to read it with ``HistoryStore/record(at:)``.
  public var position: Int
  /// Its run id.
  public var id: String

  /// An entry.
  public init(position: Int, id: String) {
    self.position = position
    self.id = id
  }
}
