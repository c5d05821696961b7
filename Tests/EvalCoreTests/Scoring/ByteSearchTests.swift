import Testing

@testable import EvalCore

struct ByteSearchTests {
  /// The naive search, as the reference.
  static func naive(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard haystack.count >= needle.count else { return false }
    return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<$0 + needle.count]) == needle }
  }

  @Test func edges() {
    let text = Array("aab aabc".utf8)
    #expect(ByteSearch.contains(text, Array("aab".utf8)))  // at the start
    #expect(ByteSearch.contains(text, Array("abc".utf8)))  // at the very end
    #expect(!ByteSearch.contains(text, Array("abcd".utf8)))  // runs past the end
    #expect(ByteSearch.contains(text, []))
    #expect(!ByteSearch.contains([], Array("a".utf8)))
    #expect(!ByteSearch.contains(Array("ab".utf8), Array("abc".utf8)))
  }

  /// Random texts over a 3-letter alphabet (many partial matches) agree with the naive search.
  @Test func agreesWithTheNaiveSearch() {
    var random = SplitMix64(seed: 7)
    for _ in 0..<2000 {
      let haystack = (0..<random.below(40)).map { _ in UInt8(97 + random.below(3)) }
      let needle = (0..<1 + random.below(5)).map { _ in UInt8(97 + random.below(3)) }
      #expect(ByteSearch.contains(haystack, needle) == Self.naive(haystack, needle), "\(haystack) \(needle)")
    }
  }
}
