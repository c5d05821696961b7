import Foundation

/// Ranks one query's documents the trec_eval way (score descending, equal scores by docno descending
/// comparing bytes, then the first `depth`) and computes every requested measure on the ranking.
public struct QueryEvaluator: Sendable {
  /// Per-query values, in the order of ``measures``, and what explains them.
  public struct Row: Sendable, Hashable {
    /// The query id.
    public var query: String
    /// One value per measure.
    public var values: [Double]
    /// Retrieved documents the qrels do not judge (not in the pool, or a negative grade), within depth.
    public var unjudgedRetrieved: Int
    /// Groups of two or more retrieved documents with equal scores (ordered by the docno rule).
    public var tieGroups: Int
    /// Whether the run had no ranking for the query (every measure 0, as trec_eval `-c`).
    public var missing: Bool
  }

  /// The measures, in output order.
  public let measures: [RetrievalMeasure]
  /// Grades at or above this are relevant (`-l`, default 1).
  public let relevanceLevel: Int32
  /// Documents kept per query (`-M`); `nil` keeps all.
  public let depth: Int?
  var stamps: [UInt32] = []
  var slots: [Int32] = []
  var generation: UInt32 = 0

  /// Creates an evaluator.
  public init(measures: [RetrievalMeasure], relevanceLevel: Int = 1, depth: Int? = nil) {
    self.measures = measures
    self.relevanceLevel = Int32(relevanceLevel)
    self.depth = depth
  }

  /// Every measure for a query the run did not rank: 0, except `num_rel`.
  public func missingRow(_ query: Qrels.Query, grades: [Int32]) -> Row {
    let relevant = grades.lazy.filter { $0 >= relevanceLevel }.count
    return Row(
      query: query.id, values: measures.map { $0.family == .numRel ? Double(relevant) : 0 }, unjudgedRetrieved: 0,
      tieGroups: 0, missing: true)
  }

  /// Ranks and evaluates one query.
  /// - Throws: ``TrecInputError`` when a docno appears twice in the query.
  public mutating func evaluate(_ ranking: QueryRanking, qrels: Qrels, file: String) throws -> Row {
    let judged = qrels.queries[Int(ranking.query)]
    try checkDuplicates(ranking, qrels: qrels, file: file)
    let order = QueryEvaluator.rank(ranking)
    var ties = 0
    var i = 0
    while i < order.count {
      var j = i + 1
      while j < order.count, ranking.docs[order[j]].score == ranking.docs[order[i]].score { j += 1 }
      if j - i > 1 { ties += 1 }
      i = j
    }
    let kept = depth.map { min($0, order.count) } ?? order.count
    let grades = order.prefix(kept).map { ranking.docs[$0].grade }
    let values = QueryEvaluator.measure(
      measures, grades: grades, judged: qrels.grades(of: Int(ranking.query)), level: relevanceLevel)
    return Row(
      query: judged.id, values: values, unjudgedRetrieved: grades.lazy.filter { $0 < 0 }.count, tieGroups: ties,
      missing: false)
  }

  /// Indices of the documents in rank order. A run written in rank order (the usual case) is checked in
  /// one pass and not sorted.
  static func rank(_ ranking: QueryRanking) -> [Int] {
    ranking.docs.withUnsafeBufferPointer { docs in
      ranking.arena.withUnsafeBufferPointer { arena in
        func before(_ a: Int, _ b: Int) -> Bool {
          let x = docs[a]
          let y = docs[b]
          if x.score != y.score { return x.score > y.score }
          // Docno descending, bytes compared as strcmp does (a prefix sorts first).
          return QueryEvaluator.compare(arena, x, y) > 0
        }
        var order = Array(docs.indices)
        if zip(order, order.dropFirst()).allSatisfy({ !before($0.1, $0.0) }) {
          // Already ordered, unless equal neighbours need the docno rule: `before` handles both.
          return order
        }
        order.sort(by: before)
        return order
      }
    }
  }

  /// The byte order of two docnos (`strcmp`'s, a prefix first): negative, zero or positive.
  static func compare(_ arena: UnsafeBufferPointer<UInt8>, _ x: QueryRanking.Doc, _ y: QueryRanking.Doc) -> Int {
    let n = Int(min(x.count, y.count))
    if n > 0, let base = arena.baseAddress {
      let c = memcmp(base + Int(x.start), base + Int(y.start), n)
      if c != 0 { return Int(c) }
    }
    return Int(x.count) - Int(y.count)
  }

  /// A docno twice in one query is an error, as in trec_eval.
  mutating func checkDuplicates(_ ranking: QueryRanking, qrels: Qrels, file: String) throws {
    let n = ranking.docs.count
    var size = 16
    while size < n * 2 { size <<= 1 }
    if stamps.count < size {
      stamps = Array(repeating: 0, count: size)
      slots = Array(repeating: 0, count: size)
      generation = 0
    }
    generation &+= 1
    if generation == 0 {
      for k in stamps.indices { stamps[k] = 0 }
      generation = 1
    }
    let mask = size - 1
    try ranking.arena.withUnsafeBufferPointer { arena in
      for (index, doc) in ranking.docs.enumerated() {
        var s = Int(truncatingIfNeeded: doc.hash ^ (doc.hash >> 29)) & mask
        while stamps[s] == generation {
          let other = ranking.docs[Int(slots[s])]
          if other.hash == doc.hash, QueryEvaluator.compare(arena, other, doc) == 0 {
            throw TrecInputError(
              "document '\(ranking.docno(doc))' appears twice for query '\(qrels.queries[Int(ranking.query)].id)'",
              file: file, line: Int(doc.line), firstLine: Int(other.line))
          }
          s = (s + 1) & mask
        }
        stamps[s] = generation
        slots[s] = Int32(index)
      }
    }
  }

  /// The measures of one ranked list: `grades` in rank order (negative: not judged), `judged` every grade
  /// ≥ 0 of the query, highest first.
  public static func measure(
    _ measures: [RetrievalMeasure], grades: [Int32], judged: [Int32], level: Int32
  ) -> [Double] {
    let retrieved = grades.count
    let relevantTotal = judged.lazy.filter { $0 >= level }.count
    let r = Double(relevantTotal)
    // hits[k]: relevant documents in the first k.
    var hits = [Int](repeating: 0, count: retrieved + 1)
    for (i, g) in grades.enumerated() { hits[i + 1] = hits[i] + (g >= level ? 1 : 0) }
    func hitsAt(_ k: Int) -> Int { hits[min(max(k, 0), retrieved)] }
    let relRet = hits[retrieved]

    func averagePrecision(_ cut: Int) -> Double {
      guard relevantTotal > 0 else { return 0 }
      var sum = 0.0
      for i in 0..<min(cut, retrieved) where grades[i] >= level { sum += Double(hits[i + 1]) / Double(i + 1) }
      return sum / r
    }
    func dcg(_ gains: some Sequence<Int32>, _ cut: Int, exponential: Bool) -> Double {
      var sum = 0.0
      for (i, g) in gains.enumerated() {
        if i >= cut { break }
        guard g > 0 else { continue }
        let gain = exponential ? pow(2, Double(g)) - 1 : Double(g)
        sum += gain / log2(Double(i + 2))
      }
      return sum
    }
    func ndcg(_ cut: Int, exponential: Bool) -> Double {
      let ideal = dcg(judged, cut, exponential: exponential)
      return ideal > 0 ? dcg(grades, cut, exponential: exponential) / ideal : 0
    }
    func reciprocalRank(_ cut: Int) -> Double {
      for i in 0..<min(cut, retrieved) where grades[i] >= level { return 1 / Double(i + 1) }
      return 0
    }

    return measures.map { m in
      let k = m.depth
      switch m.family {
      case .numRet: return Double(retrieved)
      case .numRel: return r
      case .numRelRet: return Double(relRet)
      case .map, .gmMap: return averagePrecision(retrieved)
      case .mapCut: return averagePrecision(k)
      case .rPrec: return relevantTotal > 0 ? Double(hitsAt(relevantTotal)) / r : 0
      case .recipRank: return reciprocalRank(retrieved)
      case .mrrCut: return reciprocalRank(k)
      case .precision: return Double(hitsAt(k)) / Double(k)
      case .recall: return relevantTotal > 0 ? Double(hitsAt(k)) / r : 0
      case .relativeP:
        let denominator = min(k, relevantTotal)
        return denominator > 0 ? Double(hitsAt(k)) / Double(denominator) : 0
      case .success: return hitsAt(k) > 0 ? 1 : 0
      case .ndcg: return ndcg(Int.max, exponential: false)
      case .ndcgCut: return ndcg(k, exponential: false)
      case .ndcgExp: return ndcg(Int.max, exponential: true)
      case .ndcgExpCut: return ndcg(k, exponential: true)
      case .iprecAtRecall:
        // trec_eval 10's rule: the level becomes a count of relevant documents, level·R rounded; the
        // value is the best precision at or below the rank where that many have been retrieved (0 when
        // they never are; the best overall for a count of 0).
        guard retrieved > 0, let target = m.cutoff else { return 0 }
        let needed = Int((target * r).rounded())
        guard needed <= relRet else { return 0 }
        var best = Double(relRet) / Double(retrieved)
        var i = retrieved
        while i > 0, hits[i] > 0 {
          best = max(best, Double(hits[i]) / Double(i))
          if grades[i - 1] >= level, hits[i] == needed { return best }
          i -= 1
        }
        return best
      case .bpref:
        let nonrelevant = judged.lazy.filter { $0 < level }.count
        var seen = 0
        var total = 0.0
        for g in grades where g >= 0 {
          if g < level {
            seen += 1
          } else if seen > 0 {
            total += 1 - Double(min(seen, relevantTotal)) / Double(min(nonrelevant, relevantTotal))
          } else {
            total += 1
          }
        }
        return relevantTotal > 0 ? total / r : total
      case .setP: return retrieved > 0 ? Double(relRet) / Double(retrieved) : 0
      case .setRecall: return relevantTotal > 0 ? Double(relRet) / r : 0
      case .setMap:
        guard retrieved > 0, relevantTotal > 0 else { return 0 }
        return Double(relRet) / Double(retrieved) * Double(relRet) / r
      case .setF:
        guard retrieved > 0, relevantTotal > 0, relRet > 0 else { return 0 }
        let p = Double(relRet) / Double(retrieved)
        let rec = Double(relRet) / r
        return 2 * p * rec / (p + rec)
      case .numNonrelJudgedRet: return Double(grades.lazy.filter { $0 >= 0 && $0 < level }.count)
      case .contextPrecisionIDs: return retrieved > 0 ? Double(relRet) / Double(retrieved) : 0
      case .contextRecallIDs: return relevantTotal > 0 ? Double(relRet) / r : 0
      case .contextPrecisionRanked:
        let cut = m.cutoff.map { min(Int($0), retrieved) } ?? retrieved
        guard hits[cut] > 0 else { return 0 }
        var sum = 0.0
        for i in 0..<cut where grades[i] >= level { sum += Double(hits[i + 1]) / Double(i + 1) }
        return sum / Double(hits[cut])
      }
    }
  }
}
