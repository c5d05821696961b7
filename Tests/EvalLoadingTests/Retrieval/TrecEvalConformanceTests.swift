import EvalCore
import EvalLoading
import EvalReports
import Foundation
import Testing

/// trec_eval's own quicktest (`../shared/reference/trec_eval_test`, expected outputs of trec_eval 10.0):
/// every value evalgate computes must print exactly as trec_eval printed it.
struct TrecEvalConformanceTests {
  static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("shared/reference/trec_eval_test")
  static let needsData = Testing.ConditionTrait.enabled(
    if: FileManager.default.fileExists(atPath: data.appendingPathComponent("out.test").path),
    "needs ../shared/reference/trec_eval_test (trec_eval's test data beside the checkout); not present, so skipped")

  struct Case: Sendable, CustomStringConvertible {
    var expected: String
    var qrels: String
    var run: String
    var measures: [String] = []
    var perQuery = false
    var level = 1
    var depth: Int?
    var description: String { expected + " (\(qrels))" }
  }

  /// The quicktest lines of trec_eval's README, minus measures evalgate does not compute (`relstring`).
  static let cases: [Case] = [
    Case(expected: "out.test", qrels: "qrels.test", run: "results.test"),
    Case(expected: "out.test", qrels: "qrels.test.with-comments", run: "results.test"),
    Case(expected: "out.comment.test", qrels: "qrels.comment.test", run: "results.comment.test"),
    Case(expected: "out.test.a", qrels: "qrels.test", run: "results.test", measures: ["all_trec"]),
    Case(expected: "out.test.aq", qrels: "qrels.test", run: "results.test", measures: ["all_trec"], perQuery: true),
    Case(expected: "out.test.aqc", qrels: "qrels.test", run: "results.trunc", measures: ["all_trec"], perQuery: true),
    Case(
      expected: "out.test.aqcM", qrels: "qrels.test", run: "results.trunc", measures: ["all_trec"], perQuery: true,
      depth: 100),
    Case(
      expected: "out.test.aql", qrels: "qrels.rel_level", run: "results.test", measures: ["all_trec"], perQuery: true,
      level: 2),
    Case(
      expected: "out.test.meas_params", qrels: "qrels.test", run: "results.test",
      measures: [
        "iprec_at_recall..10,.20,.25,.75,.50", "P.5,7,3", "recall.20,2000", "ndcg_cut.10,20,23.4", "success.2,5,20",
      ], perQuery: true),
  ]

  static func render(_ c: Case) throws -> String {
    var options = TrecEvaluationFiles.Options()
    let specs = c.measures.isEmpty ? ["official"] : c.measures
    options.measures = try RetrievalMeasure.parse(specs)
    options.relevanceLevel = c.level
    options.depth = c.depth
    let e = try TrecEvaluationFiles.evaluate(
      qrels: data.appendingPathComponent(c.qrels).path, run: data.appendingPathComponent(c.run).path, options: options)
    let header = specs.contains { $0 == "official" || $0 == "all_trec" }
    return TrecEvalText(header: header, perQuery: c.perQuery).render(e)
  }

  /// `(measure, query) → printed value` of trec_eval's layout.
  static func rows(_ text: String) -> [String: String] {
    var out: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let f = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard f.count == 3 else { continue }
      out[f[0].trimmingCharacters(in: .whitespaces) + " " + f[1]] = String(f[2])
    }
    return out
  }

  @Test(Self.needsData, arguments: Self.cases)
  func everyValueEvalgateComputesPrintsAsTrecEvalPrintedIt(_ c: Case) throws {
    let mine = try Self.render(c)
    let expectedText = try String(contentsOf: Self.data.appendingPathComponent(c.expected), encoding: .utf8)
    if c.measures.isEmpty {
      #expect(mine == expectedText)  // the default measures: byte for byte
      return
    }
    let got = Self.rows(mine)
    let want = Self.rows(expectedText)
    let computed = Set(got.keys.map { String($0.split(separator: " ")[0]) })
    let compared = want.filter { computed.contains(String($0.key.split(separator: " ")[0])) }
    #expect(compared.count > 60, "too few values compared: \(compared.count)")
    for (key, value) in compared.sorted(by: { $0.key < $1.key }) {
      #expect(got[key] == value, "\(key)")
    }
    #expect(Set(got.keys).subtracting(want.keys).isEmpty, "rows trec_eval does not print")
  }

  @Test(Self.needsData) func shuffledRunLinesGiveTheSameValues() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-trec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let lines = try String(contentsOf: Self.data.appendingPathComponent("results.test"), encoding: .utf8)
      .split(separator: "\n")
    var rng = SplitMix64(seed: 3)
    let shuffled = lines.shuffled(using: &rng).joined(separator: "\n")  // queries interleaved, no final newline
    let run = dir.appendingPathComponent("shuffled.run")
    try shuffled.write(to: run, atomically: true, encoding: .utf8)
    var options = TrecEvaluationFiles.Options()
    options.measures = RetrievalMeasure.allTrec
    options.chunkSize = 97  // lines cross chunk boundaries
    let qrels = Self.data.appendingPathComponent("qrels.test").path
    let a = try TrecEvaluationFiles.evaluate(qrels: qrels, run: run.path, options: options)
    let b = try TrecEvaluationFiles.evaluate(
      qrels: qrels, run: Self.data.appendingPathComponent("results.test").path, options: .init(measuresOf: options))
    #expect(a.rows == b.rows)
    #expect(a.summary == b.summary)
    // Both files read in two halves at once (the shuffled run then falls back to reading it whole).
    options.splitAbove = 1000
    for path in [run.path, Self.data.appendingPathComponent("results.test").path] {
      let split = try TrecEvaluationFiles.evaluate(qrels: qrels, run: path, options: options)
      #expect(split.rows == b.rows && split.summary == b.summary && split.runID == b.runID)
    }
    // 9 (query, score) pairs occur more than once in results.test (`awk '{print $1, $5}' | sort | uniq -d`).
    #expect(a.counts.tieGroups == 9 && b.counts.tieGroups == 9)
  }
}

extension TrecEvaluationFiles.Options {
  init(measuresOf other: Self) {
    self.init()
    measures = other.measures
  }
}
