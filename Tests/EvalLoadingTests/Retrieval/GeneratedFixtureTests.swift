import EvalCore
import EvalLoading
import Foundation
import Testing

/// Generated fixtures (`scripts/retrieval-fixtures`: `../shared/tools/retrieval/gen.py`, expected values
/// from its `reference.py`), committed: every per-query value to 1e-9.
struct GeneratedFixtureTests {
  static let dir = FixturePaths.root.appendingPathComponent("retrieval")

  struct Case: Sendable, CustomStringConvertible {
    var name: String
    var expected: String
    var level = 1
    var depth: Int?
    var float32 = false
    var description: String { expected }
  }

  static let cases: [Case] = [
    Case(name: "chunks", expected: "chunks"),  // '#' in docnos, grade -1, missing and extra queries, no relevant docs
    Case(name: "chunks", expected: "chunks.l2", level: 2),
    Case(name: "ties", expected: "ties"),  // tie groups across the cutoffs
    Case(name: "ties", expected: "ties.M15", depth: 15),
    Case(name: "cosine", expected: "cosine"),
    Case(name: "cosine", expected: "cosine.float32", float32: true),
    Case(name: "close", expected: "close"),  // scores 1e-8 apart
    Case(name: "close", expected: "close.float32", float32: true),
  ]

  static let measures = [
    "P.1,5,10,20", "recall.5,10,100", "map", "ndcg", "ndcg_cut.5,10,20", "recip_rank", "Rprec", "success.1,5,10",
    "bpref", "num_ret", "num_rel", "num_rel_ret",
  ]

  struct Expected: Decodable {
    var num_q: Int
    var mean: [String: Double]
    var per_query: [String: [String: Double]]
  }

  @Test(arguments: Self.cases)
  func everyPerQueryValueMatchesTheReference(_ c: Case) throws {
    var options = TrecEvaluationFiles.Options()
    options.measures = try RetrievalMeasure.parse(Self.measures)
    options.relevanceLevel = c.level
    options.depth = c.depth
    options.float32 = c.float32
    let e = try TrecEvaluationFiles.evaluate(
      qrels: Self.dir.appendingPathComponent(c.name + ".qrels").path,
      run: Self.dir.appendingPathComponent(c.name + ".run").path, options: options)
    let expected = try JSONDecoder().decode(
      Expected.self, from: Data(contentsOf: Self.dir.appendingPathComponent(c.expected + ".expected.json")))
    #expect(e.counts.queries == expected.num_q)
    var compared = 0
    for row in e.rows {
      let want = try #require(expected.per_query[row.query], "query \(row.query) not in the reference")
      for (m, value) in zip(e.measures, row.values) {
        // For a query the run missed, reference.py gives num_rel 0; trec_eval -c prints the query's R (as
        // out.test.aqc shows for query 302, checked by TrecEvalConformanceTests), and so does evalgate.
        if row.missing, m.family == .numRel {
          compared += 1
          continue
        }
        let w = try #require(want[m.name], "\(m.name)")
        #expect(abs(value - w) <= 1e-9, "\(row.query) \(m.name): \(value) vs \(w)")
        compared += 1
      }
    }
    #expect(compared == expected.per_query.count * e.measures.count)
    for (m, value) in zip(e.measures, e.summary) where !m.family.isCount {
      #expect(abs(value - (expected.mean[m.name] ?? .nan)) <= 1e-9, "mean \(m.name)")
    }
  }

  @Test func theEdgeCasesAreInTheFixtures() throws {
    let e = try TrecEvaluationFiles.evaluate(
      qrels: Self.dir.appendingPathComponent("chunks.qrels").path,
      run: Self.dir.appendingPathComponent("chunks.run").path, options: .init())
    #expect(e.counts.missingRankings == 2)
    #expect(e.counts.unjudgedQueries == 5)
    #expect(e.counts.noRelevant > 0 && e.counts.tieGroups > 0 && e.counts.unjudgedRetrieved > 0)
    #expect(e.rows.filter(\.missing).count == 2)
    // scores 1e-8 apart: double keeps the run's order, float32 ties them and the docno rule decides.
    var options = TrecEvaluationFiles.Options()
    options.measures = try RetrievalMeasure.parse(["map"])
    let close = (Self.dir.appendingPathComponent("close.qrels").path, Self.dir.appendingPathComponent("close.run").path)
    let double = try TrecEvaluationFiles.evaluate(qrels: close.0, run: close.1, options: options)
    options.float32 = true
    let single = try TrecEvaluationFiles.evaluate(qrels: close.0, run: close.1, options: options)
    #expect(double.rows[0].values[0] != single.rows[0].values[0])
  }
}
