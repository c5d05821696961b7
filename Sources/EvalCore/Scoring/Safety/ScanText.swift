// Hand-written: no listed package scans text for personal data or credentials. The scanners read UTF-8
// bytes in forward passes with bounded look-around, so every one is linear in the length of the text.

/// A text as UTF-8 bytes, with the character classes and look-around the safety scanners share. Reading
/// outside the text gives 0, which belongs to no class, so a match at either end is never joined to anything.
/// It borrows the bytes: use it only inside ``withBytes(of:_:)``.
struct ScanText {
  /// A part of the text.
  typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

  let bytes: UnsafeBufferPointer<UInt8>

  /// Calls `body` with the UTF-8 bytes of `text` (read through a pointer: no reference counting per byte).
  static func withBytes<R>(of text: String, _ body: (ScanText) -> R) -> R {
    let array = Array(text.utf8)
    return array.withUnsafeBufferPointer { body(ScanText(bytes: $0)) }
  }

  var count: Int { bytes.count }

  subscript(_ i: Int) -> UInt8 { i >= 0 && i < bytes.count ? bytes[i] : 0 }

  /// The text of `range`.
  func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

  static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
  static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
  static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
  static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
  /// A letter, a digit or `_`: a character that continues a word. Non-ASCII bytes do not, so an item written
  /// between CJK characters, which use no spaces, is still found.
  static func isWord(_ b: UInt8) -> Bool { isAlnum(b) || b == UInt8(ascii: "_") }

  /// Whether the character before `i` joins a match starting at `i` to a longer token: a word character, or
  /// one of `joiners` with a word character before it (`ID-415…`, `v.1…`).
  func joinedBefore(_ i: Int, joiners: String = "") -> Bool {
    let b = self[i - 1]
    if ScanText.isWord(b) { return true }
    return joiners.utf8.contains(b) && ScanText.isWord(self[i - 2])
  }

  /// Whether the character at `end` joins a match ending there to a longer token: a word character, or one
  /// of `joiners` followed by a letter or digit (`…2671-ext`, `….5`). Sentence punctuation is not joined.
  func joinedAfter(_ end: Int, joiners: String = "") -> Bool {
    let b = self[end]
    if ScanText.isWord(b) { return true }
    return joiners.utf8.contains(b) && ScanText.isAlnum(self[end + 1])
  }

  /// Whether the text before `i` is two groups of four letters or digits, the first with a digit, each
  /// followed by one space: a printed IBAN (`GB82 WEST 1234…`), whose digits after that are not a number of
  /// their own.
  func followsCodeGroups(_ i: Int) -> Bool {
    func group(endingAt e: Int) -> Bool {
      self[e + 1] == UInt8(ascii: " ") && (e - 3...e).allSatisfy { ScanText.isAlnum(self[$0]) }
        && !ScanText.isAlnum(self[e - 4])
    }
    guard group(endingAt: i - 2), group(endingAt: i - 7) else { return false }
    return (i - 10...i - 7).contains { ScanText.isDigit(self[$0]) }
  }

  /// The word just before `i`, lower-cased (at most 16 letters), skipping back over up to four spaces and
  /// `:=.(#` characters: `version` in `version: 1.2.3.4`, `v` in `(v1.2.3.4`. A `§` before reads as `§`.
  func wordBefore(_ i: Int) -> String {
    var j = i - 1
    var skipped = 0
    while j >= 0, skipped < 4, " :=.(#\t".utf8.contains(self[j]) {
      j -= 1
      skipped += 1
    }
    if j >= 1, self[j - 1] == 0xC2, self[j] == 0xA7 { return "§" }
    var letters: [UInt8] = []
    while j >= 0, ScanText.isLetter(self[j]), letters.count < 16 {
      letters.append(self[j] | 0x20)
      j -= 1
    }
    if ScanText.isLetter(self[j]) { return "" }  // longer than any word looked for
    return String(decoding: letters.reversed(), as: UTF8.self)
  }
}
