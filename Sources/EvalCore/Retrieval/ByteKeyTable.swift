import Foundation

/// An open-addressing hash table from (owner, byte string) to an integer, with every key's bytes in
/// one arena: looking up a docno of a query costs one hash and no allocation. Docnos compare as bytes,
/// as trec_eval's `strcmp` does (never as Unicode strings, which would merge canonically equal ids).
struct ByteKeyTable: Sendable {
  struct Entry: Sendable {
    var hash: UInt64
    var start: Int
    var count: Int32
    var owner: Int32
    var value: Int32
  }

  private(set) var arena: [UInt8] = []
  private(set) var entries: [Entry] = []
  private var slots: [Int32]
  private var mask: Int

  init(capacity: Int = 16) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = Array(repeating: -1, count: size)
    mask = size - 1
  }

  /// FNV-1a over the bytes, finished with a multiply-xorshift so the low bits spread.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
  }

  static func mix(_ hash: UInt64, owner: Int32) -> UInt64 {
    var h = hash ^ (UInt64(UInt32(bitPattern: owner)) &* 0x9e37_79b9_7f4a_7c15)
    h ^= h >> 33
    h = h &* 0xff51_afd7_ed55_8ccd
    h ^= h >> 29
    return h
  }

  /// The entry index of `key` for `owner`, or `nil`.
  func find(owner: Int32, key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
    let h = ByteKeyTable.mix(hash, owner: owner)
    var i = Int(truncatingIfNeeded: h) & mask
    return slots.withUnsafeBufferPointer { slots in
      entries.withUnsafeBufferPointer { entries in
        arena.withUnsafeBufferPointer { arena in
          while true {
            let e = Int(slots[i])
            if e < 0 { return nil }
            let entry = entries[e]
            if entry.hash == h, entry.owner == owner, Int(entry.count) == key.count,
              ByteKeyTable.equal(arena, entry.start, key)
            {
              return e
            }
            i = (i + 1) & mask
          }
        }
      }
    }
  }

  static func equal(_ arena: UnsafeBufferPointer<UInt8>, _ start: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let a = arena.baseAddress, let k = key.baseAddress else { return key.isEmpty }
    return memcmp(a + start, k, key.count) == 0
  }

  /// Adds `key` for `owner`; returns the existing entry's index instead when it is already there.
  @discardableResult
  mutating func insert(owner: Int32, key: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Int32) -> (
    inserted: Bool, index: Int
  ) {
    if let e = find(owner: owner, key: key, hash: hash) { return (false, e) }
    if (entries.count + 1) * 2 > slots.count { grow() }
    let h = ByteKeyTable.mix(hash, owner: owner)
    entries.append(Entry(hash: h, start: arena.count, count: Int32(key.count), owner: owner, value: value))
    arena.append(contentsOf: key)
    place(entries.count - 1, hash: h)
    return (true, entries.count - 1)
  }

  /// The value of entry `index`.
  func value(at index: Int) -> Int32 { entries[index].value }

  /// The value of entry `index` when its key is `key`.
  func value(at index: Int, ifKeyIs key: UnsafeBufferPointer<UInt8>) -> Int32? {
    let e = entries[index]
    guard Int(e.count) == key.count else { return nil }
    return arena.withUnsafeBufferPointer { ByteKeyTable.equal($0, e.start, key) } ? e.value : nil
  }

  private mutating func place(_ entry: Int, hash: UInt64) {
    var i = Int(truncatingIfNeeded: hash) & mask
    while slots[i] >= 0 { i = (i + 1) & mask }
    slots[i] = Int32(entry)
  }

  private mutating func grow() {
    slots = Array(repeating: -1, count: slots.count * 2)
    mask = slots.count - 1
    for (i, e) in entries.enumerated() { place(i, hash: e.hash) }
  }
}
