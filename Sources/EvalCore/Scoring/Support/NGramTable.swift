// Hand-written: no listed Swift package counts n-grams (swift-algorithms' `windows(ofCount:)` would copy each one).

/// The n-grams (orders 1…`maxOrder`) of one or more symbol sequences with their counts, and the clipped overlap
/// of another sequence with them, in time linear in the lengths.
///
/// An n-gram is never copied: it gets an id from its (n−1)-gram prefix's id and its last symbol, so each n-gram
/// costs one dictionary look-up. A sequence that is only scanned (``matches(_:)``) is looked up, never inserted,
/// and a position stops at its first n-gram the table lacks (no longer n-gram there can be in it either).
struct NGramTable {
  /// The longest n-gram counted.
  let maxOrder: Int
  /// (prefix id, last symbol) → n-gram id; 1-grams have prefix 0. Ids start at 1.
  private var ids: [UInt64: Int32] = [:]
  /// n of each id (index 0 unused).
  private var orders: [Int32] = [0]
  /// Each id's count: for several sequences, the largest count in any one of them.
  private var counts: [Int] = [0]

  /// An empty table counting n-grams up to `maxOrder` (at least 1).
  init(maxOrder: Int) {
    precondition(maxOrder >= 1, "n-gram order must be at least 1")
    self.maxOrder = maxOrder
  }

  private static func key(_ prefix: Int32, _ symbol: UInt32) -> UInt64 {
    UInt64(UInt32(bitPattern: prefix)) << 32 | UInt64(symbol)
  }

  /// Adds the n-grams of `symbols`: each count becomes the larger of the count so far and the count in
  /// `symbols` (sacrebleu's merge of several references).
  mutating func addMaxCounts(_ symbols: [UInt32]) {
    var local = [Int](repeating: 0, count: counts.count)
    for start in symbols.indices {
      var prefix: Int32 = 0
      for offset in 0..<min(maxOrder, symbols.count - start) {
        let key = Self.key(prefix, symbols[start + offset])
        let id: Int32
        if let existing = ids[key] {
          id = existing
        } else {
          id = Int32(orders.count)
          ids[key] = id
          orders.append(Int32(offset + 1))
          counts.append(0)
          local.append(0)
        }
        local[Int(id)] += 1
        prefix = id
      }
    }
    for id in 1..<counts.count { counts[id] = max(counts[id], local[id]) }
  }

  /// For each order n (index n − 1): the sum over the n-grams of `symbols` of the smaller of their count in
  /// `symbols` and their count in the table.
  func matches(_ symbols: [UInt32]) -> [Int] {
    var seen = [Int](repeating: 0, count: counts.count)
    for start in symbols.indices {
      var prefix: Int32 = 0
      for offset in 0..<min(maxOrder, symbols.count - start) {
        guard let id = ids[Self.key(prefix, symbols[start + offset])] else { break }
        seen[Int(id)] += 1
        prefix = id
      }
    }
    var out = [Int](repeating: 0, count: maxOrder)
    for id in 1..<counts.count { out[Int(orders[id]) - 1] += min(seen[id], counts[id]) }
    return out
  }

  /// The clipped overlap of two sequences for each order 1…`maxOrder` (symmetric; the shorter one is tabled).
  static func overlap(_ a: [UInt32], _ b: [UInt32], maxOrder: Int) -> [Int] {
    let (tabled, scanned) = a.count <= b.count ? (a, b) : (b, a)
    var table = NGramTable(maxOrder: maxOrder)
    table.addMaxCounts(tabled)
    return table.matches(scanned)
  }

  /// The number of n-grams in a sequence of `length` symbols.
  static func count(length: Int, order: Int) -> Int { max(length - order + 1, 0) }
}

extension NGramTable {
  /// Dense ids for tokens, from 1, in order of first appearance: the symbols a table counts.
  struct Vocabulary<Token: Hashable> {
    private var ids: [Token: UInt32] = [:]

    /// The id of `token`, a new one if it is new.
    mutating func id(_ token: Token) -> UInt32 {
      if let id = ids[token] { return id }
      let id = UInt32(ids.count + 1)
      ids[token] = id
      return id
    }
  }
}
