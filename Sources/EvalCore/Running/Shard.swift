/// One of `count` slices of a run, by a hash of each case's stable id (`--shard 2/4`): adding or removing a
/// test never moves another test to a different shard, unlike slicing by position.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
  /// 1-based.
  public var index: Int
  /// How many shards.
  public var count: Int

  /// Parses `i/n` with 1 ≤ i ≤ n; `nil` otherwise.
  public init?(_ text: String) {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else {
      return nil
    }
    index = i
    count = n
  }

  /// Whether the case with `id` belongs to this shard (its id's 64 bits modulo the count).
  public func contains(_ id: CaseID) -> Bool {
    let value = UInt64(id.rawValue.prefix(16), radix: 16) ?? UInt64(truncatingIfNeeded: id.rawValue.hashValue)
    return Int(value % UInt64(count)) == index - 1
  }

  public var description: String { "\(index)/\(count)" }
}
