import EvalCore
import Foundation
import Testing

/// ROUGE, BLEU and chrF against the reference packages' own values (`scripts/text-metrics-reference`:
/// rouge-score 0.1.2, sacrebleu 2.6.0) on the committed pairs, to 1e-6.
struct TextMetricsTests {
  struct Expected: Decodable {
    struct Pair: Decodable, Sendable, CustomStringConvertible {
      var prediction: String
      var reference: String
      var rouge1: Double
      var rouge2: Double
      var rougeL: Double
      var bleu: Double
      var chrf: Double
      var description: String { prediction }
    }
    var pairs: [Pair]
  }

  static let pairs: [Expected.Pair] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "TextMetrics/expected.json")
    guard let data = try? Data(contentsOf: url), let e = try? JSONDecoder().decode(Expected.self, from: data) else {
      return []
    }
    return e.pairs
  }()

  @Test func thereAreEnoughPairs() { #expect(Self.pairs.count >= 30) }

  @Test(arguments: Self.pairs)
  func matchesTheReferencePackages(_ p: Expected.Pair) {
    let tolerance = 1e-6
    #expect(abs(TextMetrics.rougeN(1, prediction: p.prediction, reference: p.reference) - p.rouge1) < tolerance)
    #expect(abs(TextMetrics.rougeN(2, prediction: p.prediction, reference: p.reference) - p.rouge2) < tolerance)
    #expect(abs((TextMetrics.rougeL(prediction: p.prediction, reference: p.reference) ?? -1) - p.rougeL) < tolerance)
    let bleu = TextMetrics.bleu(prediction: p.prediction, reference: p.reference)
    #expect(abs(bleu - p.bleu / 100) < tolerance, "bleu \(bleu * 100) vs \(p.bleu)")
    let chrf = TextMetrics.chrF(prediction: p.prediction, reference: p.reference)
    #expect(abs(chrf - p.chrf / 100) < tolerance, "chrf \(chrf * 100) vs \(p.chrf)")
  }
}
