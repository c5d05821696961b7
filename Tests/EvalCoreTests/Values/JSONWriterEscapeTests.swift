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
