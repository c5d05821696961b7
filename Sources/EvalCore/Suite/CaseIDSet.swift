/// A set of case ids, each held as its 64 bits (``CaseID/number``) when it is one evalgate derived: about
/// 10 bytes an id where a `Set<CaseID>` holds a 16-character string each (about 80 bytes).
public struct CaseIDSet: Sendable {
  private var numbers: Set<UInt64> = []
  private var texts: Set<CaseID> = []

  /// An empty set.
  public init() {}

  /// How many ids are in the set.
  public var count: Int { numbers.count + texts.count }

  /// Adds `id`; false when it was in the set already.
  @discardableResult
  public mutating func insert(_ id: CaseID) -> Bool {
    if let n = id.number { return numbers.insert(n).inserted }
    return texts.insert(id).inserted
  }

  /// Whether `id` is in the set.
  public func contains(_ id: CaseID) -> Bool {
    id.number.map { numbers.contains($0) } ?? texts.contains(id)
  }
}
