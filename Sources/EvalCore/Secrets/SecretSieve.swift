/// A byte-level test that lets most text past ``Redactor`` untouched: whether some 6 bytes of a text are 6
/// bytes of a secret, or the text holds a secret shorter than 6 bytes. A whole secret of 6 bytes or more, and
/// every fragment of one that the redactor replaces (6 characters or more, so 6 bytes or more), hold such a
/// run; text with none has nothing to redact.
///
/// Each secret's 6-byte runs are hashed into a 65,536-bit table; a text is read once, its runs rolled into a
/// 48-bit word and looked up (a table hit is confirmed by the redactor's own search). With two keys in the
/// environment, redacting every result's texts in full cost 60–85 µs of CPU a case, more than the rest of a
/// case's work (docs/benchmarks.md, session 15).
struct SecretSieve: Sendable {
  /// The run length, ``Redactor/minimumFragment`` bytes.
  static let width = Redactor.minimumFragment
  private var table = [UInt64](repeating: 0, count: 1 << 10)
  /// Secrets shorter than ``width`` bytes, looked for whole.
  private var short: [[UInt8]] = []

  /// The sieve of `secrets`.
  init(_ secrets: [String]) {
    for secret in secrets {
      let bytes = Array(secret.utf8)
      guard bytes.count >= Self.width else {
        short.append(bytes)
        continue
      }
      var word: UInt64 = 0
      for (i, byte) in bytes.enumerated() {
        word = Self.roll(word, byte)
        if i >= Self.width - 1 { set(Self.slot(word)) }
      }
    }
  }

  /// Whether `text` may hold a secret or a fragment of one (`false`: it holds neither).
  func mayHold(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable(mayHold) ?? mayHold(Array(text.utf8))
  }

  private func mayHold(_ bytes: some Collection<UInt8>) -> Bool {
    var word: UInt64 = 0
    var n = 0
    for byte in bytes {
      word = Self.roll(word, byte)
      n += 1
      if n >= Self.width, isSet(Self.slot(word)) { return true }
    }
    for secret in short where Self.contains(bytes, secret) { return true }
    return false
  }

  private static func roll(_ word: UInt64, _ byte: UInt8) -> UInt64 {
    (word << 8 | UInt64(byte)) & 0xFFFF_FFFF_FFFF
  }

  private static func slot(_ word: UInt64) -> Int { Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> 48) }

  private mutating func set(_ slot: Int) { table[slot >> 6] |= 1 << UInt64(slot & 63) }

  private func isSet(_ slot: Int) -> Bool { table[slot >> 6] & (1 << UInt64(slot & 63)) != 0 }

  private static func contains(_ bytes: some Collection<UInt8>, _ needle: [UInt8]) -> Bool {
    let haystack = Array(bytes)
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
      if haystack[start..<start + needle.count].elementsEqual(needle) { return true }
    }
    return false
  }
}
