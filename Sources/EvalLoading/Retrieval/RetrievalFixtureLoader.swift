import EvalCore
import Foundation
import Yams

/// Loads retrieval fixtures: a YAML file whose top level has a `retrieval:` section (so it can live in
/// `suites/` beside prompt suites), with queries inline or in a JSONL file, or judgments and a recorded
/// run as TREC files. Every problem is a located error.
///
/// ```yaml
/// description: FAQ retriever
/// retrieval:
///   metrics: { ndcg@10: { min: 0.6 }, recall@5: { min: 0.8 }, mrr@10: {} }
///   queries:
///     - id: reset-password
///       query: How do I reset my password?
///       relevant: { kb-12: 2, kb-7: 1, kb-3: 0 }
///       ranking: [kb-7, kb-3, kb-12]          # or [{ id: kb-7, score: 0.92 }, …]
/// ```
public enum RetrievalFixtureLoader {
  static let topKeys = ["id", "description", "retrieval"]
  static let keys = ["metrics", "queries", "qrels", "run", "relevanceLevel", "depth", "provider"]
  static let queryKeys = ["id", "query", "relevant", "ranking"]

  /// A loaded fixture, and the TREC files it names.
  public struct Loaded: Sendable {
    /// The fixture (queries empty when the judgments come from a qrels file).
    public var fixture: RetrievalFixture
    /// `qrels: file://…`, resolved.
    public var qrelsFile: String?
    /// `run: file://…`, resolved.
    public var runFile: String?
    /// `provider:`: the retrieval endpoint each query is sent to during the run (an `http` provider whose
    /// `contextIds` path gives the ranked document ids), named in evalgate.yaml or inline.
    public var provider: ProviderSpec?
  }

  /// Whether a parsed file is a retrieval fixture (a mapping with a `retrieval` key), not a prompt suite.
  static func isFixture(_ root: YAMLNode?) -> Bool {
    guard let m = try? root?.mapping("a fixture") else { return false }
    return m.has("retrieval")
  }

  /// The calls that fetch a fixture's rankings from its provider: one case per query, the query text as
  /// the user message and in `{{ query }}` (for an `http` body), no assertions.
  public static func calls(_ loaded: Loaded) throws -> [EvalCase] {
    guard let spec = loaded.provider else { return [] }
    let plan = try ScoringPlan.build([], threshold: nil, registry: .standard)
    let f = loaded.fixture
    return f.queries.map { q in
      EvalCase(
        id: CaseID(content: .object(["retrievalCall": .string(f.id), "query": .string(q.id)])), suiteID: f.id,
        location: q.location, title: q.id, promptLabel: "query", providerLabel: spec.label, providerKey: spec.key,
        vars: ["query": .string(q.text ?? ""), "id": .string(q.id)],
        messages: [ChatMessage(role: "user", content: q.text ?? "")], plan: plan)
    }
  }

  /// The fixture with the rankings its provider returned: each query's first answered attempt's
  /// `contextIds`, in order, a repeated id kept once; a query whose call failed has no ranking (it
  /// scores 0) and is listed in the second value.
  public static func withRankings(_ loaded: Loaded, from results: [CaseResult]) -> (Loaded, [String]) {
    var out = loaded
    var failed: [String] = []
    let byQuery = Dictionary(results.map { ($0.title, $0) }, uniquingKeysWith: { a, _ in a })
    for i in out.fixture.queries.indices {
      let q = out.fixture.queries[i]
      guard let ids = byQuery[q.id]?.attempts.first(where: { $0.error == nil })?.contextIDs else {
        failed.append(q.id)
        continue
      }
      var seen: Set<String> = []
      out.fixture.queries[i].ranking = .ordered(
        ids.filter { !$0.contains(where: \.isWhitespace) && seen.insert($0).inserted })
    }
    out.provider = nil
    return (out, failed)
  }

  /// Evaluates a loaded fixture: its recorded rankings, or its TREC files.
  /// - Throws: ``Diagnostic`` for an unreadable or malformed TREC file.
  public static func evaluate(_ loaded: Loaded) throws -> RetrievalEvaluation {
    let f = loaded.fixture
    guard let run = loaded.runFile else {
      do { return try f.evaluate() } catch let e as TrecInputError { throw e.diagnostic }
    }
    var options = TrecEvaluationFiles.Options()
    options.measures = f.measures
    options.relevanceLevel = f.relevanceLevel
    options.depth = f.depth
    if let qrels = loaded.qrelsFile {
      return try TrecEvaluationFiles.evaluate(qrels: qrels, run: run, options: options)
    }
    do {
      let qrels = try Qrels(bytes: f.trecText.qrels, file: f.file)
      return try TrecEvaluationFiles.evaluate(qrels: qrels, run: run, options: options)
    } catch let e as TrecInputError {
      throw e.diagnostic
    }
  }

  /// Loads one fixture file.
  /// - Throws: ``Diagnostic`` located in the fixture or its JSONL file.
  public static func load(file: String, project: ProjectConfig = ProjectConfig()) throws -> Loaded {
    try load(root: try YAMLNode.parse(try FileSource.text(file), file: file), file: file, project: project)
  }

  /// Loads a fixture from its parsed top level (`nil` for an empty file).
  static func load(root: YAMLNode?, file: String, project: ProjectConfig) throws -> Loaded {
    guard let root else {
      throw Diagnostic("fixture file is empty", at: SourceLocation(file: file, line: 1, column: 1))
    }
    let top = try root.mapping("a retrieval fixture")
    try top.check(allowed: topKeys)
    guard let section = top["retrieval"] else { throw root.error("a retrieval fixture needs a 'retrieval' section") }
    let r = try section.mapping("'retrieval'")
    try r.check(allowed: keys)
    let id = try top["id"]?.string("'id'") ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    var fixture = RetrievalFixture(
      id: id, file: file, description: try top["description"]?.string("'description'"), queries: [],
      measures: RetrievalMeasure.official)
    if let n = r["relevanceLevel"] { fixture.relevanceLevel = try n.int("'relevanceLevel'", min: 1) }
    if let n = r["depth"] { fixture.depth = try n.int("'depth'", min: 1) }
    if let n = r["metrics"] { (fixture.measures, fixture.thresholds) = try metrics(n) }
    var loaded = Loaded(fixture: fixture)
    let confinement = PathConfinement(project: project)
    func include(_ node: YAMLNode, _ key: String) throws -> String {
      let reference = try node.string("'\(key)'")
      let path = FileSource.resolve(reference, relativeTo: file)
      try confinement?.check(path, reference: reference, at: node.location)
      return path
    }
    if let n = r["qrels"] { loaded.qrelsFile = try include(n, "qrels") }
    if let n = r["run"] { loaded.runFile = try include(n, "run") }
    if let n = r["queries"] {
      guard loaded.qrelsFile == nil else { throw n.error("use either 'queries' or 'qrels', not both") }
      if n.node.scalar != nil {
        let path = try include(n, "queries")
        loaded.fixture.queries = try jsonl(path, requestedAt: n.location)
      } else {
        loaded.fixture.queries = try n.sequence("'queries'").map(query)
      }
      var seen: [String: SourceLocation] = [:]
      for q in loaded.fixture.queries {
        if let first = seen[q.id] {
          throw Diagnostic("query id '\(q.id)' is used twice (first at \(first))", at: q.location)
        }
        seen[q.id] = q.location
      }
    } else if loaded.qrelsFile == nil {
      throw section.error("a retrieval fixture needs 'queries' (inline or file://….jsonl) or 'qrels'")
    }
    if let n = r["provider"] {
      let spec = try SuiteLoader(project: project).providerReference(n)
      guard loaded.runFile == nil, !loaded.fixture.queries.contains(where: { $0.ranking != nil }) else {
        throw n.error("rankings come from the 'provider' here; drop 'run' and the queries' 'ranking'")
      }
      if let q = loaded.fixture.queries.first(where: { $0.text == nil }) {
        throw Diagnostic("query '\(q.id)' needs a 'query' text to send to the provider", at: q.location)
      }
      loaded.provider = spec
    }
    if loaded.runFile != nil, loaded.fixture.queries.contains(where: { $0.ranking != nil }) {
      throw section.error("rankings come either from 'run' or from the queries, not both")
    }
    if loaded.runFile == nil, loaded.provider == nil, !loaded.fixture.queries.contains(where: { $0.ranking != nil }) {
      throw section.error(
        "a retrieval fixture needs rankings: 'ranking' on its queries, 'run: file://….run', or a 'provider'")
    }
    return loaded
  }

  /// `metrics`: a list of names, or a mapping from name to `{min, max}`. Thresholds are keyed by the
  /// measure's printed name (`P.10` gates `P_10`).
  static func metrics(_ node: YAMLNode) throws -> ([RetrievalMeasure], [String: RetrievalFixture.Threshold]) {
    var specs: [String] = []
    var thresholds: [String: RetrievalFixture.Threshold] = [:]
    let entries: [(key: String, keyNode: YAMLNode, value: YAMLNode?)] =
      node.node.mapping != nil
      ? try node.mapping("'metrics'").entries.map { ($0.key, $0.keyNode, $0.value.isNull ? nil : $0.value) }
      : try node.listOrSingle().map { (try $0.string("a metric name"), $0, nil) }
    for entry in entries {
      let parsed: [RetrievalMeasure]
      do { parsed = try RetrievalMeasure.parse([entry.key]) } catch let d as Diagnostic {
        throw entry.keyNode.error(d.message)
      }
      specs.append(entry.key)
      guard let value = entry.value else { continue }
      let m = try value.mapping("metric '\(entry.key)'")
      try m.check(allowed: ["min", "max"])
      let t = RetrievalFixture.Threshold(min: try m["min"]?.double("'min'"), max: try m["max"]?.double("'max'"))
      guard t.min != nil || t.max != nil else { continue }
      guard parsed.count == 1 else {
        throw entry.keyNode.error("'\(entry.key)' names \(parsed.count) measures; a threshold needs one (e.g. P.10)")
      }
      thresholds[parsed[0].name] = t
    }
    return (try RetrievalMeasure.parse(specs), thresholds)
  }

  static func query(_ node: YAMLNode) throws -> RetrievalFixture.Query {
    let m = try node.mapping("a query")
    try m.check(allowed: queryKeys)
    guard let idNode = m["id"] else { throw node.error("a query needs an 'id'") }
    let id = try docID(idNode, "a query id")
    guard let relevantNode = m["relevant"] else { throw node.error("query '\(id)' needs 'relevant' judgments") }
    var judgments: [String: Int] = [:]
    let rel = try relevantNode.mapping("'relevant'")
    for entry in rel.entries { judgments[try docID(entry.keyNode, "a document id")] = try entry.value.int("a grade") }
    guard !judgments.isEmpty else {
      throw relevantNode.error("query '\(id)' judges no document (grade 0 marks one judged not relevant)")
    }
    var ranking: RetrievalFixture.Ranking?
    if let r = m["ranking"] {
      let items = try r.sequence("'ranking'")
      var seen: Set<String> = []
      if items.allSatisfy({ $0.node.scalar != nil }) {
        ranking = .ordered(
          try items.map { item in
            let doc = try docID(item, "a document id")
            guard seen.insert(doc).inserted else { throw item.error("document '\(doc)' is ranked twice") }
            return doc
          })
      } else {
        ranking = .scored(
          try items.map { item in
            let d = try item.mapping("a ranked document")
            try d.check(allowed: ["id", "score"])
            guard let idNode = d["id"], let score = d["score"] else {
              throw item.error("a scored document needs 'id' and 'score' (or list plain ids, in rank order)")
            }
            let doc = try docID(idNode, "a document id")
            guard seen.insert(doc).inserted else { throw item.error("document '\(doc)' is ranked twice") }
            let value = try score.double("'score'")
            guard value.isFinite else { throw score.error("a score must be a finite number, found \(value)") }
            return .init(id: doc, score: value)
          })
      }
    }
    return RetrievalFixture.Query(
      id: id, text: try m["query"]?.string("'query'"), judgments: judgments, ranking: ranking, location: node.location)
  }

  /// An id usable in TREC files: non-empty, no whitespace.
  static func docID(_ node: YAMLNode, _ what: String) throws -> String {
    let s = try node.string(what)
    guard !s.isEmpty, !s.contains(where: \.isWhitespace) else {
      throw node.error("\(what) must be non-empty without spaces, found '\(s)'")
    }
    return s
  }

  /// One query per line: `{"id", "query", "relevant": {doc: grade}, "ranking": [ids] or [{id, score}]}`.
  static func jsonl(_ path: String, requestedAt location: SourceLocation) throws -> [RetrievalFixture.Query] {
    var out: [RetrievalFixture.Query] = []
    for (i, line) in try FileSource.text(path, requestedAt: location).split(
      separator: "\n", omittingEmptySubsequences: false
    ).enumerated() {
      let text = line.trimmingCharacters(in: .whitespaces)
      guard !text.isEmpty else { continue }
      let here = SourceLocation(file: path, line: i + 1, column: 1)
      guard (try? JSONSerialization.jsonObject(with: Data(text.utf8))) is [String: Any] else {
        throw Diagnostic("not a JSON object", at: here)
      }
      // The YAML parser reads JSON too: one path for both, with this line's number in errors.
      guard let node = try YAMLNode.parse(text, file: path, lineOffset: i) else {
        throw Diagnostic("not a JSON object", at: here)
      }
      out.append(try query(node))
    }
    return out
  }
}
