/// The case ids of one run, each with its place (0, 1, … in the order first seen), in about 16 bytes an id at
/// 1,000,000 ids: a stable case id (16 lowercase hex digits) is kept as the 64-bit number it spells, by place,
/// and found through an open-addressing table of places (4 bytes a slot, at most three quarters full); any
/// other id is kept as itself in a dictionary. A Swift dictionary of the ids (as an enum of the number or the
/// string) cost about 60 bytes an id; the number is the same id, so pairing by it is exact.
struct CaseIndex: Sendable {
  /// Per place, the id's number when it is a stable case id (0 for another id, which the table never holds).
  private var numbers: [UInt64] = []
  /// Per slot, the place + 1 of a stable case id, 0 when empty; a power of two long, or empty.
  private var slots: [UInt32] = []
  /// How many places the table holds.
  private var filled = 0
  /// The ids that are not stable case ids.
  private var others: [String: Int32] = [:]

  /// How many ids were added.
  var count: Int { numbers.count }

  /// Makes room for `count` ids without the ids' storage growing (the table still grows as it fills).
  mutating func reserveCapacity(_ count: Int) { numbers.reserveCapacity(count) }

  /// The place of `id`, when it was added.
  func place(of id: String) -> Int? {
    guard let number = Self.number(id) else { return others[id].map(Int.init) }
    guard !slots.isEmpty else { return nil }
    var slot = Self.slot(number, in: slots.count)
    while true {
      let entry = slots[slot]
      if entry == 0 { return nil }
      if numbers[Int(entry) - 1] == number { return Int(entry) - 1 }
      slot = (slot + 1) & (slots.count - 1)
    }
  }

  /// The place of `id`, when it was added, looked for first at `expected` (where a run whose cases come in the
  /// order they were added has it: one read of the ids in order instead of two scattered ones, which at 100,000
  /// ids were most of a lookup's time).
  func place(of id: String, expected: Int) -> Int? {
    // 0 is also what the ids that are not stable case ids leave in `numbers`: that one is looked up.
    if expected < numbers.count, let number = Self.number(id), number != 0, numbers[expected] == number {
      return expected
    }
    return place(of: id)
  }

  /// The place of `id`, added as the next place when it is new.
  mutating func insert(_ id: String) -> (place: Int, inserted: Bool) {
    precondition(numbers.count < Int(UInt32.max), "CaseIndex: too many case ids")
    guard let number = Self.number(id) else {
      if let known = others[id] { return (Int(known), false) }
      let place = numbers.count
      others[id] = Int32(place)
      numbers.append(0)
      return (place, true)
    }
    if (filled + 1) * 4 > slots.count * 3 { grow() }
    var slot = Self.slot(number, in: slots.count)
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      if numbers[Int(entry) - 1] == number { return (Int(entry) - 1, false) }
      slot = (slot + 1) & (slots.count - 1)
    }
    let place = numbers.count
    numbers.append(number)
    slots[slot] = UInt32(place + 1)
    filled += 1
    return (place, true)
  }

  /// Doubles the table (16 slots at first) and puts its places back.
  private mutating func grow() {
    let old = slots
    slots = Array(repeating: 0, count: max(16, old.count * 2))
    for entry in old where entry != 0 {
      var slot = Self.slot(numbers[Int(entry) - 1], in: slots.count)
      while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
      slots[slot] = entry
    }
  }

  /// The first slot to look at for `number` in a table of `size` slots (a power of two): Fibonacci hashing,
  /// so ids that are not spread evenly (small numbers, a shared prefix) still are over the table.
  private static func slot(_ number: UInt64, in size: Int) -> Int {
    Int(truncatingIfNeeded: (number &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - size.trailingZeroBitCount))
  }

  /// The number a stable case id (exactly 16 lowercase hex digits) spells; `nil` for any other id.
  static func number(_ id: String) -> UInt64? {
    var id = id
    return id.withUTF8 { bytes -> UInt64? in
      guard bytes.count == 16 else { return nil }
      var value: UInt64 = 0
      for b in bytes {
        switch b {
        case 0x30...0x39: value = value << 4 | UInt64(b - 0x30)
        case 0x61...0x66: value = value << 4 | UInt64(b - 0x61 + 10)
        default: return nil
        }
      }
      return value
    }
  }
}
