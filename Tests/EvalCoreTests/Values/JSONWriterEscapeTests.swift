import Foundation
import Testing

@testable import EvalCore

/// The word-at-a-time check for strings that need no escape agrees with the byte-by-byte one, and the strings
/// the writer spells are the encoder's.
struct JSONWriterEscapeTests {
  private static func bytewise(_ bytes: [UInt8]) -> Bool {
    !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
  }

  @Test func everyByteAtEveryPlaceOfAWordIsSeen() {
    // Each byte value at each offset of strings 1 to 19 bytes long over a plain filler (ASCII and UTF-8 bytes).
    for filler in [UInt8(ascii: "a"), 0xC3, 0x7F, 0x21, 0xFF] {
      for length in 1..<20 {
        for position in 0..<length {
          for byte in 0...UInt8.max {
            var bytes = [UInt8](repeating: filler, count: length)
            bytes[position] = byte
            let fast = bytes.withUnsafeBufferPointer { JSONWriter.needsNoEscape($0) }
            #expect(fast == Self.bytewise(bytes), "byte \(byte) at \(position) of \(length) over \(filler)")
          }
        }
      }
    }
  }

  @Test func randomTextAgreesWithTheEncoder() throws {
    var generator = SystemRandomNumberGenerator()
    let pieces = ["a", "é", "\"", "\\", "\n", "\u{1}", "\u{1F}", " ", "/", "日本", "🙂", "\u{7F}", "\t"]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    for _ in 0..<2000 {
      let text = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
        pieces.randomElement(using: &generator)!
      }.joined()
      var writer = JSONWriter()
      writer.string(text)
      #expect(writer.bytes == Array(try encoder.encode(text)), "\(text.debugDescription)")
    }
  }
}

/// Whole numbers take a shortcut past `description`; every double is still spelled as the encoder spells it.
struct JSONWriterDoubleTests {
  private static func described(_ d: Double) -> [UInt8] {
    var text = d.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    return Array(text.utf8)
  }

  @Test func wholeAndFractionalNumbersAreSpelledAsTheirDescription() {
    var generator = SystemRandomNumberGenerator()
    var values: [Double] = [
      0, -0.0, 1, -1, 0.5, 1e15, 1e16, 4_503_599_627_370_495, 4_503_599_627_370_496, 9_007_199_254_740_992, 1e-5,
      123_456_789, -987_654_321, .ulpOfOne, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 2.5e-300,
    ]
    for _ in 0..<5000 {
      values.append(Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &generator)))
      values.append(Double.random(in: -1e6...1e6, using: &generator))
      values.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator)))
    }
    for d in values where d.isFinite {
      var writer = JSONWriter()
      writer.double(d)
      #expect(writer.bytes == Self.described(d), "\(d)")
    }
  }
}
