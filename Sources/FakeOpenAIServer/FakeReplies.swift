import Crypto
import Foundation

/// The fake server's deterministic behaviour: replies, usage, embeddings and fault draws derived from
/// the request alone.
enum FakeReplies {
  /// The reply to a conversation: `[[reply:TEXT]]` anywhere in the last user message gives TEXT;
  /// otherwise `You said: <last user message>`.
  static func reply(to messages: [(role: String, content: String)]) -> String {
    let last = messages.last(where: { $0.role == "user" })?.content ?? messages.last?.content ?? ""
    if let text = marker("reply", in: last) { return text }
    return "You said: " + last
  }

  /// The value of `[[name:value]]` in text.
  static func marker(_ name: String, in text: String) -> String? {
    // Most texts hold no marker: a byte scan for `[` spares Foundation's search, which a chat request made four
    // times (4 % of the fake server's CPU at 0 ms latency, docs/benchmarks.md session 11).
    guard text.utf8.contains(UInt8(ascii: "[")) else { return nil }
    guard let start = text.range(of: "[[\(name):") else { return nil }
    guard let end = text.range(of: "]]", range: start.upperBound..<text.endIndex) else { return nil }
    return String(text[start.upperBound..<end.lowerBound])
  }

  /// A rough token count: whitespace-separated words.
  static func tokens(_ text: String) -> Int {
    // ASCII text counted by its bytes (the same words: ASCII's whitespace characters are tab to carriage return
    // and space); splitting by `Character` was 7 % of the fake server's CPU at 0 ms latency (session 11).
    var count = 0
    var inWord = false
    for byte in text.utf8 {
      guard byte < 0x80 else { return text.split(whereSeparator: \.isWhitespace).count }
      let space = byte == 0x20 || (0x09...0x0D).contains(byte)
      if !space, !inWord { count += 1 }
      inWord = !space
    }
    return count
  }

  /// A 64-dimensional unit vector from hashed words: texts sharing words point the same way.
  static func embedding(_ text: String) -> [Double] {
    var v = [Double](repeating: 0, count: 64)
    for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
      let digest = Array(SHA256.hash(data: Array(word.utf8)))
      let index = Int(digest[0]) % 64
      v[index] += digest[1] & 1 == 0 ? 1 : -1
    }
    let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return norm == 0 ? v : v.map { $0 / norm }
  }

  /// A uniform draw in [0, 1) from the seed, the request body and how often that body was seen.
  static func draw(seed: UInt64, body: String, attempt: Int) -> Double {
    let digest = Array(SHA256.hash(data: Array("\(seed)|\(attempt)|\(body)".utf8)))
    var x: UInt64 = 0
    for byte in digest.prefix(8) { x = x << 8 | UInt64(byte) }
    return Double(x >> 11) / Double(1 << 53)
  }
}
