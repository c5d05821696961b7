import EvalCore
import EvalLoading
import Foundation
import Testing

/// Retrieval fixtures in YAML and JSONL: loading, located errors, and values.
struct RetrievalFixtureTests {
  static func write(_ files: [String: String]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-fixture-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return dir
  }

  @Test func anUnscoredOrderedListKeepsItsOrder() throws {
    // ordered.jsonl: the ties run's documents in file order (tied scores in random order), without scores.
    let jsonl = GeneratedFixtureTests.dir.appendingPathComponent("ordered.jsonl").path
    let measures = GeneratedFixtureTests.measures.map { "\"\($0)\"" }.joined(separator: ", ")
    let dir = try Self.write(["f.yaml": "retrieval:\n  queries: file://\(jsonl)\n  metrics: [\(measures)]\n"])
    let loaded = try RetrievalFixtureLoader.load(file: dir.appendingPathComponent("f.yaml").path)
    let file = try SuiteFile.load(
      dir.appendingPathComponent("f.yaml").path, suites: SuiteLoader(project: ProjectConfig()), project: ProjectConfig()
    )
    if case .fixture = file {} else { Issue.record("f.yaml was not read as a retrieval fixture") }
    let e = try loaded.fixture.evaluate()
    let expected = try JSONDecoder().decode(
      GeneratedFixtureTests.Expected.self,
      from: Data(contentsOf: GeneratedFixtureTests.dir.appendingPathComponent("ordered.expected.json")))
    #expect(e.rows.count == expected.per_query.count && e.counts.tieGroups == 0)
    for row in e.rows {
      for (m, value) in zip(e.measures, row.values) {
        #expect(abs(value - (expected.per_query[row.query]?[m.name] ?? .nan)) <= 1e-9, "\(row.query) \(m.name)")
      }
    }
  }

  @Test func inlineQueriesGiveHandCheckedValues() throws {
    let dir = try Self.write([
      "faq.yaml": """
      description: FAQ retriever
      retrieval:
        metrics:
          P.1: { min: 0.5 }
          recip_rank: {}
          map: {}
          context_precision_ids: {}
          context_recall_ids: {}
          context_precision_ranked: {}
          ndcg@3: { min: 0.1, max: 1 }
        queries:
          - id: q1
            query: How do I reset my password?
            relevant: { a: 2, b: 1, c: 0 }
            ranking: [c, a, x]
          - id: q2
            relevant: { d: 1 }
            ranking: [{ id: e, score: 1 }, { id: d, score: 1 }]
          - id: q3
            relevant: { f: 1 }
      """
    ])
    let loaded = try RetrievalFixtureLoader.load(file: dir.appendingPathComponent("faq.yaml").path)
    let f = loaded.fixture
    #expect(f.id == "faq" && f.description == "FAQ retriever" && f.queries.count == 3)
    #expect(f.thresholds["P_1"] == .init(min: 0.5) && f.thresholds["ndcg@3"] == .init(min: 0.1, max: 1))
    let e = try f.evaluate()
    func value(_ q: String, _ m: String) -> Double? {
      guard let row = e.rows.first(where: { $0.query == q }), let i = e.measures.firstIndex(where: { $0.name == m })
      else { return nil }
      return row.values[i]
    }
    // q1: c (judged 0), a (2), x (not judged): relevant at rank 2 of R = 2.
    #expect(value("q1", "P_1") == 0 && value("q1", "recip_rank") == 0.5 && value("q1", "map") == 0.25)
    #expect(value("q1", "context_precision_ids") == 1.0 / 3 && value("q1", "context_recall_ids") == 0.5)
    #expect(value("q1", "context_precision_ranked") == 0.5)
    // q2: equal scores, docno descending: e before d.
    #expect(value("q2", "recip_rank") == 0.5)
    // q3: no ranking: counted, 0.
    #expect(value("q3", "map") == 0 && e.counts.missingRankings == 1 && e.counts.queries == 3)
  }

  struct Bad: Sendable, CustomStringConvertible {
    var yaml: String
    var line: Int
    var message: String
    var description: String { message }
  }

  static let bad: [Bad] = [
    Bad(
      yaml: "retrieval:\n  queries:\n    - id: q\n      relevant: { a: 1 }\n      ranking: [a, b, a]\n", line: 5,
      message: "document 'a' is ranked twice"),
    Bad(yaml: "retrieval:\n  queries:\n    - id: q\n      ranking: [a]\n", line: 3, message: "needs 'relevant'"),
    Bad(yaml: "retrieval:\n  queries:\n    - id: q\n      relevant: {}\n", line: 4, message: "judges no document"),
    Bad(yaml: "retrieval:\n  metrics: [ndgc@10]\n  queries: []\n", line: 2, message: "unknown measure 'ndgc@10'"),
    Bad(yaml: "retrieval:\n  metrics: { P: { min: 0.5 } }\n  queries: []\n", line: 2, message: "names 9 measures"),
    Bad(yaml: "retrieval:\n  querys: []\n", line: 2, message: "unknown key 'querys'"),
    Bad(
      yaml: "retrieval:\n  queries:\n    - id: q\n      relevant: { a: 1 }\n      ranking: [{ id: a, score: .nan }]\n",
      line: 5, message: "a score must be a finite number"),
    Bad(yaml: "retrieval:\n  queries:\n    - id: q 1\n      relevant: { a: 1 }\n", line: 3, message: "without spaces"),
    Bad(
      yaml: "retrieval:\n  queries:\n    - { id: q, relevant: { a: 1 } }\n    - { id: q, relevant: { b: 1 } }\n",
      line: 4, message: "query id 'q' is used twice"),
  ]

  @Test(arguments: Self.bad)
  func aBadFixtureIsALocatedError(_ b: Bad) throws {
    let dir = try Self.write(["f.yaml": b.yaml])
    do {
      _ = try RetrievalFixtureLoader.load(file: dir.appendingPathComponent("f.yaml").path)
      Issue.record("no error")
    } catch let d as Diagnostic {
      #expect(d.location?.line == b.line, "\(d)")
      #expect(d.message.contains(b.message), "\(d)")
    }
  }

  @Test func aBadJSONLLineIsLocated() throws {
    let dir = try Self.write([
      "q.jsonl": "{\"id\": \"a\", \"relevant\": {\"d\": 1}}\n\n{\"id\": \"b\", \"relevant\": 3}\n",
      "f.yaml": "retrieval:\n  queries: file://q.jsonl\n",
    ])
    do {
      _ = try RetrievalFixtureLoader.load(file: dir.appendingPathComponent("f.yaml").path)
      Issue.record("no error")
    } catch let d as Diagnostic {
      #expect(d.location?.file.hasSuffix("q.jsonl") == true && d.location?.line == 3, "\(d)")
    }
  }
}
