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
    guard let start = text.range(of: "[[\(name):") else { return nil }
    guard let end = text.range(of: "]]", range: start.upperBound..<text.endIndex) else { return nil }
    return String(text[start.upperBound..<end.lowerBound])
  }

  /// A rough token count: whitespace-separated words.
  static func tokens(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }

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
