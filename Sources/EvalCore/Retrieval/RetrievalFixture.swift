/// A retrieval-quality fixture: queries with judged documents and, when recorded, the ranking a
/// retriever returned, plus the measures to report and the thresholds that gate. Loaded from YAML or
/// JSONL (or TREC files) at the edge; evaluated here with exactly the rules of `evalgate retrieval eval`.
public struct RetrievalFixture: Sendable {
  /// What a retriever returned for a query.
  public enum Ranking: Sendable, Hashable {
    /// Documents in rank order without scores: the order is kept as given (no tie rule can reorder it).
    case ordered([String])
    /// Documents with scores: ranked by score descending, ties by docno descending (trec_eval's rule).
    case scored([ScoredDocument])
  }

  /// A retrieved document and its score.
  public struct ScoredDocument: Sendable, Hashable {
    /// The document id.
    public var id: String
    /// The retriever's score.
    public var score: Double

    /// Creates one.
    public init(id: String, score: Double) {
      self.id = id
      self.score = score
    }
  }

  /// One query.
  public struct Query: Sendable, Hashable {
    /// Stable query id.
    public var id: String
    /// The query text (sent to a retrieval endpoint; shown in reports).
    public var text: String?
    /// Judged documents and their integer grades (0: judged not relevant; negative: in the pool, not judged).
    public var judgments: [String: Int]
    /// The recorded ranking, when there is one.
    public var ranking: Ranking?
    /// Where the query is defined.
    public var location: SourceLocation

    /// Creates a query.
    public init(
      id: String, text: String? = nil, judgments: [String: Int], ranking: Ranking? = nil, location: SourceLocation
    ) {
      self.id = id
      self.text = text
      self.judgments = judgments
      self.ranking = ranking
      self.location = location
    }
  }

  /// A bound on a measure's mean.
  public struct Threshold: Sendable, Hashable, Codable {
    /// The mean must be at least this.
    public var min: Double?
    /// The mean must be at most this.
    public var max: Double?

    /// Creates a threshold.
    public init(min: Double? = nil, max: Double? = nil) {
      self.min = min
      self.max = max
    }

    /// Whether `value` is within the bounds.
    public func holds(_ value: Double) -> Bool {
      (min.map { value >= $0 } ?? true) && (max.map { value <= $0 } ?? true)
    }
  }

  /// Stable fixture id: the `id` key, else the file name without extension.
  public var id: String
  /// The fixture file.
  public var file: String
  /// Free text.
  public var description: String?
  /// The queries (inline or from JSONL), in file order.
  public var queries: [Query]
  /// The measures reported, in trec_eval's order.
  public var measures: [RetrievalMeasure]
  /// Gates by measure name (as written: `ndcg@10`, `map`).
  public var thresholds: [String: Threshold]
  /// Grades at or above are relevant.
  public var relevanceLevel: Int
  /// Documents kept per query.
  public var depth: Int?

  /// Creates a fixture.
  public init(
    id: String, file: String, description: String? = nil, queries: [Query], measures: [RetrievalMeasure],
    thresholds: [String: Threshold] = [:], relevanceLevel: Int = 1, depth: Int? = nil
  ) {
    self.id = id
    self.file = file
    self.description = description
    self.queries = queries
    self.measures = measures
    self.thresholds = thresholds
    self.relevanceLevel = relevanceLevel
    self.depth = depth
  }

  /// The judgments as TREC qrels text, and the rankings as a TREC run (an ordered list scored −rank, so
  /// it keeps its order), so that a fixture is evaluated by the very code that reproduces trec_eval.
  public var trecText: (qrels: [UInt8], run: [UInt8]) {
    var qrels = ""
    var run = ""
    for q in queries {
      for (doc, grade) in q.judgments.sorted(by: { $0.key < $1.key }) { qrels += "\(q.id) 0 \(doc) \(grade)\n" }
      switch q.ranking {
      case nil: break
      case .ordered(let docs)?:
        for (i, doc) in docs.enumerated() { run += "\(q.id) Q0 \(doc) \(i + 1) \(-Double(i + 1)) fixture\n" }
      case .scored(let docs)?:
        for (i, d) in docs.enumerated() { run += "\(q.id) Q0 \(d.id) \(i + 1) \(d.score) fixture\n" }
      }
    }
    return (Array(qrels.utf8), Array(run.utf8))
  }

  /// Evaluates the recorded rankings: every query counts, one without a ranking scores 0.
  /// - Throws: ``TrecInputError`` for a document listed twice in one ranking.
  public func evaluate() throws -> RetrievalEvaluation {
    let (qrelsText, runText) = trecText
    let qrels = try Qrels(bytes: qrelsText, file: file)
    return try evaluate(qrels: qrels, run: runText)
  }

  /// Evaluates a run (TREC text) against `qrels` with this fixture's measures and settings.
  public func evaluate(qrels: Qrels, run: [UInt8]) throws -> RetrievalEvaluation {
    var parser = TrecRunParser(qrels: qrels, file: file, grouped: false)
    var evaluator = QueryEvaluator(measures: measures, relevanceLevel: relevanceLevel, depth: depth)
    var rows: [QueryEvaluator.Row] = []
    let deliver: (QueryRanking) throws -> Void = { rows.append(try evaluator.evaluate($0, qrels: qrels, file: file)) }
    _ = try run.withUnsafeBufferPointer { try parser.consume($0, final: true, deliver: deliver) }
    try parser.finish(deliver: deliver)
    return RetrievalEvaluation(
      measures: measures, runID: parser.runID, evaluated: rows, qrels: qrels, querySet: .all,
      relevanceLevel: relevanceLevel, unjudgedQueries: parser.unjudgedQueries.count)
  }
}
