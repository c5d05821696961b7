import EvalCore
import Foundation
import Testing

/// The labelled corpus in Tests/Corpora/secrets (scripts/safety-corpus): precision and recall per kind must be
/// at least 0.99. Positives carry `⟨⟩` inside their prefix, removed here before scanning.
/// `swift test --filter SecretCorpusTests` prints the table docs/assertions.md shows.
struct SecretCorpusTests {
  static let lines: [CorpusLine] = (try? CorpusLine.load("secrets")) ?? []
  static let score = CorpusScore(lines) { line in
    // A positive line holds one secret, so any finding of its kind is that secret.
    SecretScanner().scan(unmasked(line.text)).map { ($0.kind, true) }
  }

  static func unmasked(_ text: String) -> String { text.replacingOccurrences(of: "⟨⟩", with: "") }

  @Test func theCorpusIsBig() {
    #expect(Self.lines.filter { $0.label == "pos" }.count >= 150)
    #expect(Self.lines.filter { $0.label == "neg" }.count >= 150)
  }

  @Test(arguments: SecretScanner.kinds)
  func precisionAndRecall(_ kind: String) {
    let c = Self.score.byKind[kind] ?? CorpusScore.Counts()
    let misses = (Self.score.misses[kind] ?? []).prefix(25).joined(separator: "\n")
    #expect(c.truePositives > 0, "no positive of \(kind)")
    #expect(c.precision >= 0.99, "precision \(c.precision)\n\(misses)")
    #expect(c.recall >= 0.99, "recall \(c.recall)\n\(misses)")
  }

  @Test func maskedPositivesAreNotFound() {
    let found = Self.lines.filter { $0.label == "pos" && !SecretScanner().scan($0.text).isEmpty }
    #expect(found.isEmpty, "\(found.map(\.text))")
  }

  @Test func printTheTable() {
    print(Self.score.table(kinds: SecretScanner.kinds, lines: Self.lines))
    for line in Self.score.misses.sorted(by: { $0.key < $1.key }).flatMap({ kind, lines in
      lines.map { "\(kind): \($0)" }
    }) {
      print(line)
    }
    #expect(!Self.lines.isEmpty)
  }
}
