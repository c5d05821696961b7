import Foundation
import Testing

@testable import EvalCore

/// ROUGE-1/2/L, BLEU, chrF and Levenshtein against the reference packages' own values on the committed corpus,
/// to 1e-9: Tests/Corpora/text-metrics/expected.json, made by `scripts/text-metrics-reference` (rouge-score
/// 0.1.2, sacrebleu 2.6.0, Levenshtein 0.27.1, Python 3.11): the hand-written pairs of pairs.json and 1,200
/// generated Unicode-heavy ones.
struct TextMetricsTests {
  struct Corpus: Decodable {
    struct Pair: Decodable, Sendable {
      var prediction: String
      var references: [String]
      var rouge1: Double
      var rouge2: Double
      var rougeL: Double
      var bleu: Double
      var chrf: Double
      var levenshtein: Int
      /// Python's `len` of the prediction and of each reference.
      var scalars: [Int]
    }
    var handwritten: Int
    var generated: Int
    var pairs: [Pair]
  }

  static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Corpora/text-metrics/expected.json")

  static let corpus: Corpus? = {
    guard let data = try? Data(contentsOf: path) else { return nil }
    return try? JSONDecoder().decode(Corpus.self, from: data)
  }()

  static let tolerance = 1e-9

  @Test func theCorpusHasTheGeneratedPairs() throws {
    let corpus = try #require(Self.corpus, "cannot read \(Self.path.path)")
    #expect(corpus.handwritten >= 30)
    #expect(corpus.generated >= 1_000)
    #expect(corpus.pairs.count == corpus.handwritten + corpus.generated)
  }

  @Test func decodingKeepsEveryScalar() throws {
    let corpus = try #require(Self.corpus, "cannot read \(Self.path.path)")
    for (i, p) in corpus.pairs.enumerated() {
      let counts = ([p.prediction] + p.references).map(\.unicodeScalars.count)
      #expect(counts == p.scalars, "pair \(i)")
    }
  }

  @Test func everyPairMatchesTheReferencePackages() throws {
    let corpus = try #require(Self.corpus, "cannot read \(Self.path.path)")
    var worst: [String: Double] = [:]
    for (i, p) in corpus.pairs.enumerated() {
      let rougeL = try #require(TextMetrics.rougeL(prediction: p.prediction, references: p.references))
      let measured: [(String, Double, Double)] = [
        ("rouge1", TextMetrics.rougeN(1, prediction: p.prediction, references: p.references), p.rouge1),
        ("rouge2", TextMetrics.rougeN(2, prediction: p.prediction, references: p.references), p.rouge2),
        ("rougeL", rougeL, p.rougeL),
        ("bleu", TextMetrics.bleu(prediction: p.prediction, references: p.references), p.bleu / 100),
        ("chrf", TextMetrics.chrF(prediction: p.prediction, references: p.references), p.chrf / 100),
        ("levenshtein", Double(EditDistance.levenshtein(p.prediction, p.references[0])), Double(p.levenshtein)),
      ]
      for (name, value, expected) in measured {
        let difference = abs(value - expected)
        worst[name] = max(worst[name] ?? 0, difference)
        #expect(
          difference <= Self.tolerance, "pair \(i) \(name): \(value) vs \(expected): \(p.prediction.debugDescription)")
      }
      let bounded = EditDistance.levenshtein(p.prediction, p.references[0], limit: p.levenshtein)
      #expect(bounded == .distance(p.levenshtein), "pair \(i)")
      if p.levenshtein > 0 {
        let below = EditDistance.levenshtein(p.prediction, p.references[0], limit: p.levenshtein - 1)
        #expect(below != .distance(p.levenshtein - 1), "pair \(i)")
      }
    }
    let summary = worst.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    print("text metrics: \(corpus.pairs.count) pairs, max abs difference: \(summary)")
  }

  /// Python's `str.isspace()` set, listed by `scripts/text-metrics-reference`'s way of computing it.
  @Test func whitespaceIsPythons() {
    let python: Set<UInt32> = [
      0x9, 0xA, 0xB, 0xC, 0xD, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
      0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    ]
    let all = (0...0x10FFFF).compactMap(Unicode.Scalar.init).filter(TextMetrics.isPythonWhitespace)
    #expect(Set(all.map(\.value)) == python)
  }

  /// rouge-score lowercases with Python's `str.lower()`, whose only non-ASCII ways into `[a-z0-9]` are the
  /// Kelvin sign and U+0130.
  @Test(arguments: [
    ("\u{212A}elvin", ["kelvin"]),
    ("\u{130}stanbul", ["i", "stanbul"]),
    ("Ca\u{301}fe\u{301} AU-lait_2", ["ca", "fe", "au", "lait", "2"]),
    ("Ｆｕｌｌ ﬁne", ["ne"]),
  ])
  func rougeTokens(text: String, tokens: [String]) {
    #expect(TextMetrics.rougeTokens(text) == tokens)
  }

  /// sacrebleu's 13a tokens compare as code points: NFC and NFD spellings of a word are different tokens.
  @Test func tokensKeepTheirScalars() {
    let tokens = TextMetrics.tokens13a("cafe\u{301}, caf\u{E9}\u{1C}x")
    #expect(
      tokens.map { Array($0.unicodeScalars) } == [
        Array("cafe\u{301}".unicodeScalars), [","], ["c", "a", "f", "\u{E9}"], ["x"],
      ])
  }
}
