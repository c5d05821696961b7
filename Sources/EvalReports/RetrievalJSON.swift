import EvalCore
import Foundation

/// `evalgate retrieval eval --json`: the summary and every query's values at full precision, with the
/// counts that explain them. Keys sorted, so the output diffs cleanly.
public enum RetrievalJSON {
  struct Document: Encodable {
    var runid: String
    var measures: [String]
    var summary: [String: Double]
    var queries: [String: [String: Double]]
    var missing: [String]
    var counts: RetrievalEvaluation.Counts
  }

  /// The JSON bytes, newline-terminated.
  public static func render(_ e: RetrievalEvaluation) throws -> Data {
    let names = e.measures.map(\.name)
    var queries: [String: [String: Double]] = [:]
    for r in e.rows {
      var values: [String: Double] = [:]
      for (m, x) in zip(e.measures, r.values) where m.family.perQuery { values[m.name] = x }
      queries[r.query] = values
    }
    let document = Document(
      runid: e.runID, measures: names, summary: Dictionary(uniqueKeysWithValues: zip(names, e.summary)),
      queries: queries, missing: e.rows.filter(\.missing).map(\.query), counts: e.counts)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(document) + Data("\n".utf8)
  }
}
