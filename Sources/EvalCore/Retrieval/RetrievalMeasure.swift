/// One retrieval measure as trec_eval names it (`map`, `P_10`, `ndcg_cut_10`, …) or by an alias
/// (`ndcg@10`, `mrr@10`, `hit_rate@10`, …): what is computed per query, and how queries are summarised.
/// Definitions follow trec_eval 10.0 (docs/retrieval.md).
public struct RetrievalMeasure: Sendable, Hashable, Codable {
  /// What is computed.
  public enum Family: String, Sendable, Hashable, Codable, CaseIterable {
    case numRet = "num_ret"
    case numRel = "num_rel"
    case numRelRet = "num_rel_ret"
    case map
    case gmMap = "gm_map"
    case rPrec = "Rprec"
    case bpref
    case recipRank = "recip_rank"
    case iprecAtRecall = "iprec_at_recall"
    case precision = "P"
    case recall
    case ndcg
    case ndcgCut = "ndcg_cut"
    case mapCut = "map_cut"
    case relativeP = "relative_P"
    case success
    case setP = "set_P"
    case setRecall = "set_recall"
    case setMap = "set_map"
    case setF = "set_F"
    case numNonrelJudgedRet = "num_nonrel_judged_ret"
    /// nDCG with exponential gain 2^g − 1 (evalgate's name; not a trec_eval measure).
    case ndcgExp = "ndcg_exp"
    /// nDCG@k with exponential gain, both lists cut at k.
    case ndcgExpCut = "ndcg_exp_cut"
    /// Reciprocal rank within the first k (ranx `mrr@k`): trec_eval's `recip_rank` with `-M k`.
    case mrrCut = "mrr_cut"
    /// RAG, from ids: the share of retrieved documents that are relevant (Ragas `IDBasedContextPrecision`;
    /// 0 when nothing is retrieved, where Ragas gives NaN).
    case contextPrecisionIDs = "context_precision_ids"
    /// RAG, from ids: the share of relevant documents retrieved (Ragas `IDBasedContextRecall`; 0 when the
    /// query has no relevant document, where Ragas gives NaN).
    case contextRecallIDs = "context_recall_ids"
    /// RAG, rank-aware (the Ragas and DeepEval context precision formula, relevance from the judgments):
    /// precision at each relevant rank, averaged over the relevant documents retrieved, not over all
    /// relevant documents as `map` does; `@k` stops at k.
    case contextPrecisionRanked = "context_precision_ranked"

    /// Whether the family takes cutoffs (`P.5,10`).
    public var hasCutoffs: Bool {
      switch self {
      case .precision, .recall, .ndcgCut, .mapCut, .relativeP, .success, .ndcgExpCut, .mrrCut: true
      default: false
      }
    }

    /// trec_eval's default cutoffs.
    public var defaultCutoffs: [Double] {
      switch self {
      case .success: [1, 5, 10]
      case .iprecAtRecall: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]
      case .mrrCut: [10]
      default: [5, 10, 15, 20, 30, 100, 200, 500, 1000]
      }
    }

    /// Counts are summed over queries, `gm_map` is a geometric mean, the rest arithmetic means.
    public var summary: Summary {
      switch self {
      case .numRet, .numRel, .numRelRet, .numNonrelJudgedRet: .sum
      case .gmMap: .geometric
      default: .mean
      }
    }

    /// Whether trec_eval prints a row per query (`gm_map` is a summary only).
    public var perQuery: Bool { self != .gmMap }

    /// Whether the value is an integer count (printed without decimals).
    public var isCount: Bool { summary == .sum }
  }

  /// How per-query values become the `all` row.
  public enum Summary: String, Sendable, Hashable, Codable {
    case mean, sum, geometric
  }

  /// The family.
  public var family: Family
  /// The cutoff (`P_10`: 10) or recall level (`iprec_at_recall_0.10`: 0.1); `nil` for families without.
  public var cutoff: Double?
  /// The name printed: trec_eval's (`P_10`), or the alias the user asked for (`ndcg@10`).
  public var name: String

  /// Creates a measure; the name defaults to trec_eval's.
  public init(_ family: Family, cutoff: Double? = nil, name: String? = nil) {
    self.family = family
    self.cutoff = cutoff
    self.name = name ?? RetrievalMeasure.trecName(family, cutoff)
  }

  /// The integer cutoff (trec_eval reads cutoffs with `atol`: `23.4` is 23).
  public var depth: Int { Int(cutoff ?? 0) }

  static func trecName(_ family: Family, _ cutoff: Double?) -> String {
    guard let cutoff else { return family.rawValue }
    if family == .iprecAtRecall { return "iprec_at_recall_" + RetrievalMeasure.twoDecimals(cutoff) }
    if family == .mrrCut { return "mrr@\(Int(cutoff))" }
    return "\(family.rawValue)_\(Int(cutoff))"
  }

  /// `%3.2f` without Foundation.
  static func twoDecimals(_ x: Double) -> String {
    let hundredths = Int((x * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
  }

  /// trec_eval's default measure set (its "official" measures, as `trec_eval` prints without `-m`).
  public static let official: [RetrievalMeasure] =
    [
      .init(.numRet), .init(.numRel), .init(.numRelRet), .init(.map), .init(.gmMap), .init(.rPrec), .init(.bpref),
      .init(.recipRank),
    ]
    + Family.iprecAtRecall.defaultCutoffs.map { .init(.iprecAtRecall, cutoff: $0) }
    + Family.precision.defaultCutoffs.map { .init(.precision, cutoff: $0) }

  /// Every trec_eval measure evalgate computes, in trec_eval's order (`-m all_trec`).
  public static let allTrec: [RetrievalMeasure] = {
    var out = official
    for family in [Family.recall] { out += family.defaultCutoffs.map { .init(family, cutoff: $0) } }
    out.append(.init(.ndcg))
    for family in [Family.ndcgCut, .mapCut, .relativeP, .success] {
      out += family.defaultCutoffs.map { .init(family, cutoff: $0) }
    }
    out += [.init(.setP), .init(.setRecall), .init(.setMap), .init(.setF), .init(.numNonrelJudgedRet)]
    return out
  }()

  /// Order of families in trec_eval's measure table, so `-m` lists print the way trec_eval prints them.
  static let tableOrder: [Family] = [
    .numRet, .numRel, .numRelRet, .map, .gmMap, .rPrec, .bpref, .recipRank, .iprecAtRecall, .precision, .recall,
    .ndcg, .ndcgCut, .mapCut, .relativeP, .success, .setP, .setRecall, .setMap, .setF, .numNonrelJudgedRet,
    .ndcgExp, .ndcgExpCut, .mrrCut, .contextPrecisionIDs, .contextRecallIDs, .contextPrecisionRanked,
  ]

  /// Parses `-m` arguments the way trec_eval does (`P.5,10`, `ndcg_cut.10`, `official`, `all_trec`), plus
  /// evalgate's aliases (`P@10`, `precision@10`, `recall@100`, `map@10`, `ndcg@10`, `ndcg_exp@10`,
  /// `mrr@10`, `hit_rate@10`, `success@10`). Measures come out in trec_eval's table order, cutoffs sorted,
  /// duplicates removed.
  /// - Throws: ``Diagnostic`` naming an unknown measure or a bad cutoff.
  public static func parse(_ specs: [String]) throws -> [RetrievalMeasure] {
    var out: [RetrievalMeasure] = []
    for spec in specs {
      switch spec {
      case "official": out += official
      case "all_trec": out += allTrec
      case "runid", "num_q": continue  // always printed in the text layout
      default: out += try parseOne(spec)
      }
    }
    var seen: Set<String> = []
    out = out.filter { seen.insert($0.name).inserted }
    let rank = Dictionary(uniqueKeysWithValues: tableOrder.enumerated().map { ($1, $0) })
    return out.enumerated().sorted { a, b in
      let (x, y) = (a.element, b.element)
      if x.family != y.family { return rank[x.family, default: 0] < rank[y.family, default: 0] }
      if let cx = x.cutoff, let cy = y.cutoff, cx != cy { return cx < cy }
      return a.offset < b.offset
    }.map(\.element)
  }

  static let aliases: [String: Family] = [
    "P": .precision, "precision": .precision, "recall": .recall, "map": .mapCut, "ndcg": .ndcgCut,
    "ndcg_exp": .ndcgExpCut, "mrr": .mrrCut, "hit_rate": .success, "success": .success,
    "relative_P": .relativeP, "context_precision_ranked": .contextPrecisionRanked,
  ]

  static func parseOne(_ spec: String) throws -> [RetrievalMeasure] {
    if let at = spec.firstIndex(of: "@") {
      let head = String(spec[..<at])
      let tail = spec[spec.index(after: at)...]
      guard let family = aliases[head] else {
        throw Diagnostic(
          "unknown measure '\(spec)'" + Suggestion.didYouMean(head + "@", in: aliases.keys.map { $0 + "@" }))
      }
      guard let k = Int(tail), k > 0 else { throw Diagnostic("measure '\(spec)' needs a positive cutoff after '@'") }
      return [RetrievalMeasure(family, cutoff: Double(k), name: spec)]
    }
    let (head, params) =
      spec.firstIndex(of: ".").map { (String(spec[..<$0]), String(spec[spec.index(after: $0)...])) } ?? (spec, "")
    guard let family = Family(rawValue: head) else {
      throw Diagnostic(
        "unknown measure '\(spec)'"
          + Suggestion.didYouMean(head, in: Family.allCases.map(\.rawValue) + ["official", "all_trec"]))
    }
    guard family.hasCutoffs || family == .iprecAtRecall else {
      guard params.isEmpty else { throw Diagnostic("measure '\(head)' takes no parameters, found '\(spec)'") }
      return [RetrievalMeasure(family)]
    }
    let cutoffs: [Double]
    if params.isEmpty {
      cutoffs = family.defaultCutoffs
    } else {
      cutoffs = try params.split(separator: ",", omittingEmptySubsequences: false).map { part in
        if family == .iprecAtRecall {
          guard let x = Double(part), (0...1).contains(x) else {
            throw Diagnostic("recall level '\(part)' of '\(spec)' must be a number between 0 and 1")
          }
          return x
        }
        // atol: leading digits, the rest ignored (`23.4` is 23).
        let digits = part.prefix { $0.isASCII && $0.isNumber }
        guard let k = Int(digits), k > 0 else {
          throw Diagnostic("cutoff '\(part)' of '\(spec)' must be a positive integer")
        }
        return Double(k)
      }
    }
    return Array(Set(cutoffs)).sorted().map { RetrievalMeasure(family, cutoff: $0) }
  }
}
