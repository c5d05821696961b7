import EvalCore
import Foundation
import Testing

/// The labelled corpus in Tests/Corpora/pii (scripts/safety-corpus): precision and recall per kind must be at
/// least 0.99. `swift test --filter PIICorpusTests` prints the table docs/assertions.md shows.
struct PIICorpusTests {
  static let lines: [CorpusLine] = (try? CorpusLine.load("pii")) ?? []
  static let score = CorpusScore(lines) { line in
    PIIScanner().scan(line.text).map { ($0.kind.rawValue, $0.text == line.value) }
  }

  @Test func theCorpusIsBigAndCoversTenCountries() {
    let positives = Self.lines.filter { $0.label == "pos" }
    #expect(positives.count >= 300 && Self.lines.filter { $0.label == "neg" }.count >= 300)
    #expect(Set(positives.map(\.kind)) == Set(PIIScanner.Kind.allCases.map(\.rawValue)))
    for kind in ["phone", "iban"] {
      let countries = Set(positives.filter { $0.kind == kind }.compactMap { $0.note.split(separator: " ").first })
        .filter { $0.count == 2 && $0.allSatisfy(\.isUppercase) }
      #expect(countries.count >= 10, "\(kind): \(countries.sorted())")
    }
  }

  @Test(arguments: PIIScanner.Kind.allCases)
  func precisionAndRecall(_ kind: PIIScanner.Kind) {
    let c = Self.score.byKind[kind.rawValue] ?? CorpusScore.Counts()
    let misses = (Self.score.misses[kind.rawValue] ?? []).prefix(25).joined(separator: "\n")
    #expect(c.truePositives > 0)
    #expect(c.precision >= 0.99, "precision \(c.precision)\n\(misses)")
    #expect(c.recall >= 0.99, "recall \(c.recall)\n\(misses)")
  }

  @Test func printTheTable() {
    let kinds = PIIScanner.Kind.allCases.map(\.rawValue)
    print(Self.score.table(kinds: kinds, lines: Self.lines))
    print(
      "out of scope (national numbers without a trunk prefix): found \(Self.score.outOfScopeFound) of "
        + "\(Self.score.outOfScope)")
    for line in Self.score.misses.sorted(by: { $0.key < $1.key }).flatMap({ kind, lines in
      lines.map { "\(kind): \($0)" }
    }) {
      print(line)
    }
    #expect(!Self.lines.isEmpty)
  }
}
