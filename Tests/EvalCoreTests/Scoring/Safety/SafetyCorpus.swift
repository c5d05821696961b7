import Foundation

/// One line of a labelled corpus under Tests/Corpora (written by scripts/safety-corpus).
struct CorpusLine: Decodable, Sendable {
  /// `pos`, `neg`, or `out-of-scope` (real data the scanner documents it does not look for).
  var label: String
  /// For a positive, the kind to find; for a negative, the kind it imitates.
  var kind: String
  /// The exact text a positive is found as (empty for negatives).
  var value: String
  var text: String
  var note: String

  /// The lines of `Tests/Corpora/<name>/corpus.jsonl`.
  static func load(_ name: String) throws -> [CorpusLine] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Corpora/\(name)/corpus.jsonl")
    let text = try String(contentsOf: url, encoding: .utf8)
    return try text.split(separator: "\n").map { try JSONDecoder().decode(CorpusLine.self, from: Data($0.utf8)) }
  }
}

/// Precision and recall per kind over a corpus. A positive counts as found when a finding of its kind
/// matches it; every other finding on any line is a false positive of the finding's kind.
struct CorpusScore: Sendable {
  struct Counts: Sendable {
    var truePositives = 0
    var falseNegatives = 0
    var falsePositives = 0
    var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
    var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
  }

  var byKind: [String: Counts] = [:]
  /// Lines a kind missed or wrongly flagged, for failure messages.
  var misses: [String: [String]] = [:]
  /// Out-of-scope lines found anyway, and their number.
  var outOfScopeFound = 0
  var outOfScope = 0

  /// Scores `findings(text)` (kind and whether it is the labelled value) over `lines`.
  init(_ lines: [CorpusLine], findings: (CorpusLine) -> [(kind: String, matchesValue: Bool)]) {
    for line in lines {
      var found = false
      for f in findings(line) {
        if line.label != "neg", f.kind == line.kind, f.matchesValue, !found {
          found = true
        } else {
          byKind[f.kind, default: Counts()].falsePositives += 1
          misses[f.kind, default: []].append("false positive: \(line.text.debugDescription)")
        }
      }
      switch line.label {
      case "pos":
        if found {
          byKind[line.kind, default: Counts()].truePositives += 1
        } else {
          byKind[line.kind, default: Counts()].falseNegatives += 1
          misses[line.kind, default: []].append("missed: \(line.text.debugDescription) (\(line.note))")
        }
      case "out-of-scope":
        outOfScope += 1
        if found { outOfScopeFound += 1 }
      default: break
      }
    }
  }

  /// The Markdown table docs/assertions.md shows.
  func table(kinds: [String], lines: [CorpusLine]) -> String {
    var rows = ["| kind | positives | look-alikes | found | missed | false positives | precision | recall |"]
    rows.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind in kinds {
      let c = byKind[kind] ?? Counts()
      let pos = lines.filter { $0.label == "pos" && $0.kind == kind }.count
      let neg = lines.filter { $0.label == "neg" && $0.kind == kind }.count
      rows.append(
        "| \(kind) | \(pos) | \(neg) | \(c.truePositives) | \(c.falseNegatives) | \(c.falsePositives) | "
          + String(format: "%.3f | %.3f |", c.precision, c.recall))
    }
    return rows.joined(separator: "\n")
  }
}
