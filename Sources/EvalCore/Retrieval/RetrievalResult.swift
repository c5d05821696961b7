/// What a run reports for one retrieval fixture: each measure's mean and per-query values, the counts
/// behind them, and each gate (a threshold on a mean) with the queries that pulled it down.
public struct RetrievalResult: Sendable, Hashable, Codable {
  /// A query's value of one measure.
  public struct QueryValue: Sendable, Hashable, Codable {
    /// The query id.
    public var query: String
    /// The value.
    public var value: Double
  }

  /// One threshold checked.
  public struct GateResult: Sendable, Hashable, Codable {
    /// The measure, as printed (`ndcg@10`, `P_10`).
    public var metric: String
    /// The bounds.
    public var min: Double?, max: Double?
    /// The mean over the fixture's queries.
    public var value: Double
    /// Whether the mean is within the bounds.
    public var passed: Bool
    /// The queries furthest on the wrong side (lowest for a minimum, highest for a maximum), at most 5.
    public var worst: [QueryValue]
  }

  /// Fixture id.
  public var fixture: String
  /// Fixture file.
  public var file: String
  /// Free text.
  public var description: String?
  /// The measures, in order.
  public var measures: [String]
  /// Mean (sum for counts) of each measure.
  public var means: [String: Double]
  /// Per query, per measure.
  public var queries: [String: [String: Double]]
  /// What explains the numbers.
  public var counts: RetrievalEvaluation.Counts
  /// The gates, in measure order.
  public var gates: [GateResult]

  /// Whether every gate passed.
  public var passed: Bool { gates.allSatisfy(\.passed) }

  /// Collects the result of evaluating `fixture`.
  public init(fixture: RetrievalFixture, evaluation e: RetrievalEvaluation) {
    self.fixture = fixture.id
    file = fixture.file
    description = fixture.description
    measures = e.measures.map(\.name)
    means = Dictionary(zip(measures, e.summary), uniquingKeysWith: { a, _ in a })
    var queries: [String: [String: Double]] = [:]
    for row in e.rows {
      queries[row.query] = Dictionary(zip(measures, row.values), uniquingKeysWith: { a, _ in a })
    }
    self.queries = queries
    counts = e.counts
    gates = e.measures.indices.compactMap { i -> GateResult? in
      let name = e.measures[i].name
      guard let t = fixture.thresholds[name] else { return nil }
      let value = e.summary[i]
      let byValue = e.rows.map { QueryValue(query: $0.query, value: $0.values[i]) }.sorted {
        ($0.value, $0.query) < ($1.value, $1.query)
      }
      let failsMin = t.min.map { value < $0 } ?? false
      return GateResult(
        metric: name, min: t.min, max: t.max, value: value, passed: t.holds(value),
        worst: Array((failsMin || t.max == nil ? byValue : byValue.reversed()).prefix(5)))
    }
  }

  /// One line per failed gate: `faq: ndcg@10 = 0.512 < min 0.6`.
  public var failures: [String] {
    gates.filter { !$0.passed }.map { g in
      let bound = g.min.map { g.value < $0 ? "< min \(JSONValue.format($0))" : nil } ?? nil
      return "\(fixture): \(g.metric) = \(RetrievalResult.format(g.value)) "
        + (bound ?? "> max \(JSONValue.format(g.max ?? 0))")
    }
  }

  /// The fixture's queries as comparison records, so a baseline compares them query by query: each
  /// query a case (suite = fixture id, provider `retrieval`, never judged pass or fail), each measure
  /// but the counts a named score `retrieval/<fixture>/<measure>`.
  public var records: [CaseRecord] {
    queries.keys.sorted().map { q in
      var scores: [String: Double] = [:]
      for (m, v) in queries[q] ?? [:] where !m.hasPrefix("num_") { scores[RetrievalResult.scoreName(fixture, m)] = v }
      return CaseRecord(
        id: CaseID(content: .object(["retrieval": .string(fixture), "query": .string(q)])), suite: fixture, title: q,
        provider: "retrieval", file: file, line: nil, samples: [.init(index: 0, pass: nil, scores: scores)])
    }
  }

  /// The named score of a fixture's measure in comparisons.
  public static func scoreName(_ fixture: String, _ measure: String) -> String { "retrieval/\(fixture)/\(measure)" }

  /// The score group of a named score that belongs to a fixture (`retrieval/<fixture>`), else `nil`.
  public static func group(ofScore name: String) -> String? {
    guard name.hasPrefix("retrieval/"), let slash = name.dropFirst(10).firstIndex(of: "/") else { return nil }
    return String(name[..<slash])
  }

  /// Four decimals, as trec_eval prints.
  public static func format(_ x: Double) -> String {
    let scaled = (x * 10_000).rounded() / 10_000
    return JSONValue.format(scaled)
  }
}
