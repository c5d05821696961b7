import EvalTestSupport
import Testing

@testable import EvalCore

/// The linear search for embedded JSON must find what trying every `[` and `{` in turn finds.
struct JSONExtractionTests {
  /// The definition: the first `[` or `{` from which a JSON value can be read, whatever follows it.
  static func naiveEmbedded(_ text: String) -> JSONValue? {
    for (offset, byte) in text.utf8.enumerated() where byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
      if let found = try? JSONParser.parsePrefix(text, from: offset, with: JSONValue.Builder()) { return found.value }
    }
    return nil
  }

  /// A small deterministic generator (SplitMix64), so a failure can be replayed from its seed.
  struct Generator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Int((z ^ (z >> 31)) % UInt64(bound))
    }
  }

  static let pieces = [
    "[", "]", "{", "}", "\"", ",", ":", "\\", "1", "0", "-", ".", "e", "true", "nul", "null", " ", "\n", "x", "é",
    "\\u", "\\ud83d", "\\ude00", "\\n", "\"a\"", "[]", "{}", "```",
  ]

  @Test func agreesWithTryingEveryStart() {
    var generator = Generator(state: 20_260_520)
    var disagreements: [String] = []
    for _ in 0..<30_000 {
      var text = ""
      for _ in 0..<generator.next(24) { text += Self.pieces[generator.next(Self.pieces.count)] }
      let fast = JSONExtraction.embedded(text)
      let slow = Self.naiveEmbedded(text)
      if fast != slow || fast?.canonicalJSON != slow?.canonicalJSON { disagreements.append(text) }
    }
    #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
  }

  @Test func candidatesDeeperThanTheLimitGiveWayToTheirInnerValues() {
    let text = "x " + String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
    let found = JSONExtraction.embedded(text)
    #expect(found == Self.naiveEmbedded(text))
    var depth = 0
    var value = found
    while case .array(let items)? = value {
      depth += 1
      value = items.first
    }
    #expect(depth == JSONParser.maximumDepth)
  }

  /// One megabyte of each shape that made a quadratic scan, a recursive parser or a fence search slow.
  static let adversarial: [(String, String)] = [
    ("runs of [", String(repeating: "[", count: 1 << 17)),
    ("runs of {", String(repeating: "{", count: 1 << 17)),
    ("runs of \"", String(repeating: "\"", count: 1 << 17)),
    ("{\"a\": repeated", String(repeating: #"{"a":"#, count: (1 << 17) / 5)),
    ("deeply nested arrays", String(repeating: "[", count: 1 << 16) + String(repeating: "]", count: 1 << 16)),
    ("[\" repeated", String(repeating: "[\"", count: 1 << 16)),
    ("\"[ repeated", String(repeating: "\"[", count: 1 << 16)),
    ("[1, repeated", String(repeating: "[1,", count: (1 << 17) / 3)),
    ("unclosed fence", "```json\n" + String(repeating: "[", count: 1 << 17)),
    ("many fences", String(repeating: "```json\n[1,\n```\n", count: (1 << 17) / 16)),
    ("escapes in strings", String(repeating: #"["\"[\\"#, count: (1 << 17) / 6)),
  ]

  /// Debug builds are slow; 5 s is generous for 128 kB (a quadratic scan takes minutes); release figures on
  /// 1 MB are in docs/benchmarks.md. Timed in CPU seconds on a thread of their own (HeavyWork), off the
  /// cooperative pool that the timer-driven tests share.
  @Test(.serialized, arguments: adversarial.map(\.0))
  func megabyteOfAdversarialOutputIsFast(name: String) async throws {
    try await HeavyWork.run { try await Self.fast(name: name) }
  }

  static func fast(name: String) async throws {
    let output = try #require(adversarial.first { $0.0 == name }?.1)
    let schema: JSONValue = ["type": "object", "properties": ["a": ["type": "string", "minLength": 1]]]
    for (type, value) in [("is-json", JSONValue?.none), ("contains-json", nil), ("json-schema", schema)] {
      let start = HeavyWork.threadCPUSeconds()
      _ = try await Harness.passes(type, value, output: output)
      let elapsed = HeavyWork.threadCPUSeconds() - start
      #expect(elapsed < 5, "\(type) on \(name): \(elapsed) s of CPU")
    }
  }
}
