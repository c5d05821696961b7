import EvalCore
import EvalLoading
import Foundation
import Testing

/// Malformed qrels and runs: a located error each, never a crash.
struct TrecInputErrorTests {
  static func evaluate(qrels: String, run: String, options: TrecEvaluationFiles.Options = .init()) throws
    -> RetrievalEvaluation
  {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-trec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try qrels.write(to: dir.appendingPathComponent("q.qrels"), atomically: true, encoding: .utf8)
    try run.write(to: dir.appendingPathComponent("r.run"), atomically: true, encoding: .utf8)
    return try TrecEvaluationFiles.evaluate(
      qrels: dir.appendingPathComponent("q.qrels").path, run: dir.appendingPathComponent("r.run").path,
      options: options)
  }

  static let goodQrels = "q1 0 d1 1\nq1 0 d2 0\n"
  static let goodRun = "q1 Q0 d1 1 2.5 r\nq1 Q0 d2 2 1.5 r\n"

  struct Bad: Sendable, CustomStringConvertible {
    var qrels: String
    var run: String
    var file: String
    var line: Int
    var column: Int
    var message: String
    var description: String { message }
  }

  static let bad: [Bad] = [
    Bad(qrels: "q1 0 d1\n", run: goodRun, file: "q.qrels", line: 1, column: 1, message: "a qrels line has 4 fields"),
    Bad(qrels: "# judged\nq1 0 d1 1 extra\n", run: goodRun, file: "q.qrels", line: 2, column: 1, message: "4 fields"),
    Bad(qrels: "q1 0 d1 high\n", run: goodRun, file: "q.qrels", line: 1, column: 9, message: "relevance 'high'"),
    Bad(qrels: "q1 0 d1 1.5\n", run: goodRun, file: "q.qrels", line: 1, column: 9, message: "is not an integer"),
    Bad(
      qrels: "q1 0 d1 1\n\nq1 0 d1 0\n", run: goodRun, file: "q.qrels", line: 3, column: 1,
      message: "document 'd1' is judged twice for query 'q1'"),
    Bad(qrels: goodQrels, run: "q1 Q0 d1 1 2.5\n", file: "r.run", line: 1, column: 1, message: "a run line has 6"),
    Bad(
      qrels: goodQrels, run: "q1 Q0 d1 1 2.5 r\nq1 Q0 d2 2 1.5abc r\n", file: "r.run", line: 2, column: 12,
      message: "score '1.5abc' is not a number"),
    Bad(
      qrels: goodQrels, run: "q1 Q0 d1 1 2.5 r\nq1 Q0 d1 2 1.5 r\n", file: "r.run", line: 2, column: 1,
      message: "document 'd1' appears twice for query 'q1' (first on line 1)"),
    Bad(qrels: goodQrels, run: "q1 Q0 d1 1 nan r\n", file: "r.run", line: 1, column: 12, message: "is not a number"),
  ]

  @Test(arguments: Self.bad)
  func aMalformedLineIsALocatedError(_ b: Bad) {
    do {
      _ = try Self.evaluate(qrels: b.qrels, run: b.run)
      Issue.record("no error for \(b)")
    } catch let d as Diagnostic {
      #expect(d.location?.file.hasSuffix(b.file) == true, "\(d)")
      #expect(d.location?.line == b.line && d.location?.column == b.column, "\(d)")
      #expect(d.message.contains(b.message), "\(d)")
    } catch {
      Issue.record("not a diagnostic: \(error)")
    }
  }

  @Test func anErrorInTheSecondHalfOfASplitFileHasItsRealLine() throws {
    var options = TrecEvaluationFiles.Options()
    options.splitAbove = 100
    let qrels = (1...40).map { "q\($0 % 7) 0 d\($0) \($0 % 3)" }.joined(separator: "\n") + "\n"
    var run = (1...40).map { "q\($0 / 6) Q0 d\($0) \($0) \(100 - $0) r" }
    let clean = try Self.evaluate(qrels: qrels, run: run.joined(separator: "\n"), options: .init())
    let split = try Self.evaluate(qrels: qrels, run: run.joined(separator: "\n"), options: options)
    #expect(split.rows == clean.rows && split.summary == clean.summary)
    run[35] = "q5 Q0 d36 36 x r"
    #expect(throws: Diagnostic("score 'x' is not a number", at: SourceLocation(file: "", line: 36, column: 14))) {
      do { _ = try Self.evaluate(qrels: qrels, run: run.joined(separator: "\n"), options: options) } catch var d
        as Diagnostic
      {
        d.location?.file = ""
        throw d
      }
    }
    run[35] = "q5 Q0 d31 36 64 r"  // d31 is on line 31 too, in the same query
    do {
      _ = try Self.evaluate(qrels: qrels, run: run.joined(separator: "\n"), options: options)
      Issue.record("no error")
    } catch let d as Diagnostic {
      #expect(d.location?.line == 36 && d.message.hasSuffix("(first on line 31)"), "\(d)")
    }
    let badQrels = qrels + "q1 0 d4 1\n"  // d4 is judged for q4 on line 4; q1 judges d1, d8, ...: d8 twice
    let twice = qrels + "q1 0 d8 0\n"
    #expect(throws: Never.self) { _ = try Self.evaluate(qrels: badQrels, run: Self.goodRun, options: options) }
    do {
      _ = try Self.evaluate(qrels: twice, run: Self.goodRun, options: options)
      Issue.record("no error")
    } catch let d as Diagnostic {
      #expect(d.location?.line == 41 && d.message.hasSuffix("(first on line 8)"), "\(d)")
    }
  }

  @Test func trecEval10StopsOnAMissingQueryOnlyWhenAskedTo() throws {
    let qrels = Self.goodQrels + "q2 0 d9 1\n"
    let e = try Self.evaluate(qrels: qrels, run: Self.goodRun)
    #expect(e.counts.queries == 2 && e.counts.missingRankings == 1)
    var options = TrecEvaluationFiles.Options()
    options.querySet = .ranked
    #expect(try Self.evaluate(qrels: qrels, run: Self.goodRun, options: options).counts.queries == 1)
    options.requireEveryQuery = true
    #expect(throws: Diagnostic.self) { try Self.evaluate(qrels: qrels, run: Self.goodRun, options: options) }
  }

  @Test func nothingCrashesOnArbitraryBytes() throws {
    var rng = SplitMix64(seed: 99)
    let alphabet = Array("q1 0d\t\n#.-e5x\r Q0 9".utf8) + [0, 0xFF, 0xC3]
    for _ in 0..<300 {
      let bytes = (0..<Int.random(in: 0...120, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
      let text = String(decoding: bytes, as: UTF8.self)
      do {
        _ = try Self.evaluate(qrels: Self.goodQrels + text, run: Self.goodRun + text)
      } catch is Diagnostic {
        // a located error is the expected outcome for most of these
      }
    }
  }

  @Test func measuresParseTheWayTrecEvalDoes() throws {
    let m = try RetrievalMeasure.parse(["ndcg_cut.20,10,23.4", "map", "P.5", "ndcg@10", "mrr@10", "hit_rate@5"])
    // trec_eval's table order, cutoffs ascending; an alias keeps its name.
    #expect(
      m.map(\.name) == ["map", "P_5", "ndcg_cut_10", "ndcg@10", "ndcg_cut_20", "ndcg_cut_23", "hit_rate@5", "mrr@10"])
    #expect(m.first { $0.name == "ndcg_cut_23" }?.depth == 23)
    #expect(throws: Diagnostic.self) { try RetrievalMeasure.parse(["ndgc"]) }
    #expect(throws: Diagnostic.self) { try RetrievalMeasure.parse(["P.0"]) }
    #expect(throws: Diagnostic.self) { try RetrievalMeasure.parse(["map.5"]) }
  }
}
