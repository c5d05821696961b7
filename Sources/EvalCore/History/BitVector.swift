/// A growable array of bits, 64 to a word: what ``DriftAccumulator`` keeps per case for yes/no state (still
/// paired, valued in the run being read) and for pass outcomes, an eighth of a byte each.
struct BitVector: Sendable, Equatable {
  /// The bits, bit `i` at bit `i % 64` of word `i / 64`; the bits past ``count`` are 0.
  private(set) var words: [UInt64] = []
  /// How many bits there are.
  private(set) var count = 0

  /// The bit at `i` (`i < count`).
  subscript(i: Int) -> Bool {
    get { words[i >> 6] >> UInt64(i & 63) & 1 != 0 }
    set {
      let mask: UInt64 = 1 << UInt64(i & 63)
      if newValue { words[i >> 6] |= mask } else { words[i >> 6] &= ~mask }
    }
  }

  /// Makes room for `count` bits.
  mutating func reserveCapacity(_ count: Int) { words.reserveCapacity((count + 63) >> 6) }

  /// Appends 0 bits up to `count` bits in all (nothing when there are as many already).
  mutating func extend(to count: Int) {
    guard count > self.count else { return }
    let needed = (count + 63) >> 6
    if needed > words.count { words += repeatElement(0, count: needed - words.count) }
    self.count = count
  }

  /// How many bits are set.
  var nonzeroBitCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

  /// Sets each bit to itself AND `other`'s bit at the same place (0 where `other` is shorter).
  mutating func formIntersection(_ other: BitVector) {
    for w in words.indices { words[w] &= w < other.words.count ? other.words[w] : 0 }
  }

  /// Makes every bit 0, keeping the count.
  mutating func clear() {
    for w in words.indices { words[w] = 0 }
  }

  /// The places of the set bits, in order.
  var setBits: SetBits { SetBits(words: words) }

  /// The places of a vector's set bits, in increasing order.
  struct SetBits: Sequence {
    let words: [UInt64]

    /// An iterator over the places.
    struct Iterator: IteratorProtocol {
      let words: [UInt64]
      var index = 0
      var word: UInt64

      init(words: [UInt64]) {
        self.words = words
        word = words.first ?? 0
      }

      mutating func next() -> Int? {
        while word == 0 {
          index += 1
          guard index < words.count else { return nil }
          word = words[index]
        }
        let bit = word.trailingZeroBitCount
        word &= word - 1
        return index << 6 | bit
      }
    }

    func makeIterator() -> Iterator { Iterator(words: words) }
  }
}
