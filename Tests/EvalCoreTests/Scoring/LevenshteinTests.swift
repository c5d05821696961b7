import Testing

@testable import EvalCore

struct LevenshteinTests {
  @Test(arguments: [
    ("kitten", "sitting", 3.0, true),
    ("kitten", "sitting", 2.0, false),
    ("same", "same", 0.0, true),
    ("", "abc", 3.0, true),
    ("kitten", "sitting", 3.9, true),  // distances are whole: at most 3.9 is at most 3
  ])
  func truthTable(output: String, value: String, threshold: Double, pass: Bool) async throws {
    #expect(try await Harness.passes("levenshtein", .string(value), threshold: threshold, output: output) == pass)
    #expect(try await Harness.passes("not-levenshtein", .string(value), threshold: threshold, output: output) == !pass)
  }

  @Test func defaultThresholdIsFive() async throws {
    #expect(try await Harness.passes("levenshtein", "abcdefgh", output: "abc"))
    #expect(try await !Harness.passes("levenshtein", "abcdefghi", output: "abc"))
  }

  /// Counted in Unicode scalars, as Python's `Levenshtein.distance` (0.27.1) counts code points.
  @Test(arguments: [
    ("kitten", "sitting", 3), ("flaw", "lawn", 2), ("", "", 0), ("a", "", 1), ("über", "uber", 1),
    ("cafe\u{301}", "caf\u{E9}", 2),  // NFD vs NFC: e→é and the combining acute deleted
    ("\u{212B}", "\u{C5}", 1),  // Angstrom sign vs Å
    ("\u{1112}\u{1161}\u{11AB}", "\u{D55C}", 3),  // conjoining jamo vs the syllable 한
    ("👨‍👩‍👧", "👨", 4),  // a ZWJ family is five scalars
    ("\r\n", "\n", 1),
    ("\u{F900}", "\u{8C48}", 1),  // CJK compatibility ideograph vs its NFC
  ])
  func distance(a: String, b: String, d: Int) {
    #expect(EditDistance.levenshtein(a, b) == d)
    #expect(EditDistance.levenshtein(b, a) == d)
    #expect(EditDistance.levenshtein(a, b, limit: d) == .distance(d))
  }

  @Test func theReasonSaysWhenTheLengthsAloneRuleItOut() async throws {
    let r = try await Harness.result("levenshtein", "abc", threshold: 2, output: "abcdefgh")
    #expect(!r.pass && r.reason.hasPrefix("edit distance ≥ 5 > 2"))
  }

  /// Myers' bit-parallel distance (blocks of 64) and Ukkonen's band agree with the textbook table on
  /// pseudo-random texts of 0…300 scalars over small alphabets (a fixed-seed generator).
  @Test func agreesWithTheTextbookTable() {
    var random = SplitMix64(seed: 15)
    let alphabets: [[Unicode.Scalar]] = [["a", "b"], ["a", "b", "c", "d"], ["x", "\u{301}", "é", "字", "😀", " "]]
    for round in 0..<300 {
      let alphabet = alphabets[round % alphabets.count]
      let a = random.text(from: alphabet, length: random.below(round < 150 ? 70 : 300))
      let b = random.mutated(a, from: alphabet, edits: random.below(40))
      let expected = Self.table(a, b)
      #expect(EditDistance.levenshtein(a, b) == expected, "\(a.debugDescription) \(b.debugDescription)")
      let limit = random.below(expected + 3)
      let bounded = EditDistance.levenshtein(a, b, limit: limit)
      switch bounded {
      case .distance(let d): #expect(d == expected)
      case .exceeds(let atLeast): #expect(expected > limit && atLeast > limit && atLeast <= expected)
      case .tooLong: Issue.record("short texts are never too long")
      }
      let x = EditDistance.scalars(a)
      let y = EditDistance.scalars(b)
      let (short, long) = x.count <= y.count ? (x, y) : (y, x)
      if long.count - short.count <= limit {
        let banded = EditDistance.banded(short, long, limit: limit)
        #expect(
          banded == (expected <= limit ? expected : nil), "band \(limit): \(a.debugDescription) \(b.debugDescription)")
      }
    }
  }

  static func table(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    var previous = Array(0...b.count)
    for i in a.indices {
      var current = [i + 1]
      for j in b.indices {
        current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a[i] == b[j] ? 0 : 1)))
      }
      previous = current
    }
    return previous[b.count]
  }
}

/// Property-test texts from EvalCore's seeded generator.
extension SplitMix64 {
  /// A number in 0..<n (0 when n is 0).
  mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }

  mutating func text(from alphabet: [Unicode.Scalar], length: Int) -> String {
    var view = String.UnicodeScalarView()
    for _ in 0..<length { view.append(alphabet[below(alphabet.count)]) }
    return String(view)
  }

  /// `text` with `edits` random insertions, deletions and substitutions of scalars.
  mutating func mutated(_ text: String, from alphabet: [Unicode.Scalar], edits: Int) -> String {
    var scalars = Array(text.unicodeScalars)
    for _ in 0..<edits {
      let i = below(scalars.count + 1)
      switch below(3) {
      case 0 where i < scalars.count: scalars.remove(at: i)
      case 1 where i < scalars.count: scalars[i] = alphabet[below(alphabet.count)]
      default: scalars.insert(alphabet[below(alphabet.count)], at: i)
      }
    }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
  }
}
