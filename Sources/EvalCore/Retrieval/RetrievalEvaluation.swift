import Foundation

/// A run evaluated against qrels: a row per query, the summary (`all`) row, and the counts that explain
/// why a number differs from another tool's.
public struct RetrievalEvaluation: Sendable {
  /// Which queries count in the mean.
  public enum QuerySet: String, Sendable, Hashable, Codable {
    /// Every judged query; one the run did not rank scores 0 (trec_eval `-c`; evalgate's default).
    case all
    /// Only judged queries the run ranked (trec_eval 9 and pytrec_eval).
    case ranked
  }

  /// What explains the numbers.
  public struct Counts: Sendable, Hashable, Codable {
    /// Queries in the mean.
    public var queries = 0
    /// Judged queries the run has no ranking for (they score 0 when counted).
    public var missingRankings = 0
    /// Queries in the run the qrels do not judge (ignored).
    public var unjudgedQueries = 0
    /// Counted queries with no relevant document at the relevance level (they score 0 on most measures).
    public var noRelevant = 0
    /// Retrieved documents the qrels do not judge, within depth (they count as non-relevant).
    public var unjudgedRetrieved = 0
    /// Groups of equally scored documents, ordered by the docno rule.
    public var tieGroups = 0
  }

  /// The measures, in output order.
  public var measures: [RetrievalMeasure]
  /// The run id (last line's).
  public var runID: String
  /// Per query rows, by query id (byte order), including 0 rows of missing queries when they count.
  public var rows: [QueryEvaluator.Row]
  /// The summary value of each measure.
  public var summary: [Double]
  /// The counts.
  public var counts: Counts

  /// trec_eval's floor under average precision in `gm_map`.
  public static let geometricFloor = 0.00001

  /// Combines evaluated rows into the summary.
  /// - Parameters:
  ///   - evaluated: rows of the queries the run ranked.
  ///   - qrels: the judgments (for the queries the run missed).
  public init(
    measures: [RetrievalMeasure], runID: String, evaluated: [QueryEvaluator.Row], qrels: Qrels,
    querySet: QuerySet, relevanceLevel: Int, unjudgedQueries: Int
  ) {
    self.measures = measures
    self.runID = runID
    var rows = evaluated
    let ranked = Set(evaluated.map(\.query))
    let evaluator = QueryEvaluator(measures: measures, relevanceLevel: relevanceLevel)
    let missing = qrels.queries.indices.filter { !ranked.contains(qrels.queries[$0].id) }
    if querySet == .all {
      rows += missing.map { evaluator.missingRow(qrels.queries[$0], grades: qrels.grades(of: $0)) }
    }
    rows.sort { Array($0.query.utf8).lexicographicallyPrecedes(Array($1.query.utf8)) }
    self.rows = rows
    let n = Double(rows.count)
    summary = measures.indices.map { m in
      switch measures[m].family.summary {
      case .sum: return rows.reduce(0) { $0 + $1.values[m] }
      case .mean: return n > 0 ? rows.reduce(0) { $0 + $1.values[m] } / n : 0
      case .geometric:
        // A query the run missed has average precision 0: it adds log(0.00001), as in trec_eval -c.
        let logs = rows.reduce(0) { $0 + log(max($1.values[m], Self.geometricFloor)) }
        return n > 0 ? exp(logs / n) : 0
      }
    }
    let level = Int32(relevanceLevel)
    let relevantByQuery = Dictionary(
      qrels.queries.indices.map { (qrels.queries[$0].id, qrels.grades(of: $0).contains { $0 >= level }) },
      uniquingKeysWith: { a, _ in a })
    counts = Counts(
      queries: rows.count, missingRankings: missing.count, unjudgedQueries: unjudgedQueries,
      noRelevant: rows.filter { relevantByQuery[$0.query] == false }.count,
      unjudgedRetrieved: rows.reduce(0) { $0 + $1.unjudgedRetrieved }, tieGroups: rows.reduce(0) { $0 + $1.tieGroups })
  }

  /// The value of measure `name` in the summary.
  public func mean(_ name: String) -> Double? {
    measures.firstIndex { $0.name == name }.map { summary[$0] }
  }
}
