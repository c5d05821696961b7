import ArgumentParser
import EvalCore
import EvalLoading
import EvalReports
import EvalRun
import Foundation

/// `evalgate retrieval`: retrieval-quality measures identical to trec_eval's.
struct RetrievalCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retrieval",
    abstract: "Retrieval-quality measures (trec_eval's, to the digit).",
    subcommands: [RetrievalEvalCommand.self]
  )
}

/// `evalgate retrieval eval QRELS RUN`: trec_eval's command line and text layout, and JSON.
struct RetrievalEvalCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate a TREC run against qrels, printing trec_eval's layout (or JSON).",
    usage: "evalgate retrieval eval [<options>] <qrels> <run>",
    discussion: """
      Measures use trec_eval's names (map, P.5,10, ndcg_cut.10, recall.100, recip_rank, Rprec, bpref, \
      success.1,5,10, map_cut, iprec_at_recall, set_P, …; 'official' and 'all_trec') and aliases \
      (ndcg@10, mrr@10, hit_rate@10, map@10, P@10, recall@100, ndcg_exp@10). Scores rank descending, \
      equal scores by docno descending (bytes), as trec_eval. By default every judged query counts and \
      one without a ranking scores 0 (trec_eval -c); --compat 9 skips such queries and rounds scores to \
      float32 (trec_eval 9, pytrec_eval); --compat 10 stops on them unless -c is given.

      Examples:
        evalgate retrieval eval qrels.txt run.txt -m map -m ndcg@10
        evalgate retrieval eval qrels.txt run.txt -q -m official --json
      """
  )

  @Argument(help: "TREC qrels: qid iter docno rel.") var qrels: String
  @Argument(help: "TREC run: qid iter docno rank score runid.") var run: String

  @Flag(name: .customShort("q"), help: "Print each query's values too.") var perQuery = false
  @Option(
    name: .customShort("m", allowingJoined: true),
    help: "Measures, trec_eval style (repeatable): -m map -m P.5,10 -m ndcg@10.")
  var measures: [String] = []
  @Option(name: .customShort("l", allowingJoined: true), help: "Relevance level: grades at or above are relevant.")
  var level = 1
  @Option(name: .customShort("M", allowingJoined: true), help: "Documents kept per query.") var depth: Int?
  @Flag(name: .customShort("c"), help: "Count every judged query; a missing ranking scores 0 (the default).")
  var complete = false
  @Option(name: .customLong("compat"), help: "Behave as trec_eval 9 or 10 (see below).") var compat: Int?
  @Flag(name: .customLong("json"), help: "Print JSON: summary, per-query values and counts.") var json = false

  func run() async throws {
    try await CommandOutcome.finish {
      guard level >= 1 else { throw Diagnostic("-l must be at least 1, found \(level)") }
      if let depth, depth < 1 { throw Diagnostic("-M must be at least 1, found \(depth)") }
      var options = TrecEvaluationFiles.Options()
      let specs = measures.isEmpty ? ["official"] : measures
      options.measures = try RetrievalMeasure.parse(specs)
      options.relevanceLevel = level
      options.depth = depth
      switch compat {
      case nil: break
      case 9?:
        options.float32 = true
        options.querySet = complete ? .all : .ranked
      case 10?: options.requireEveryQuery = !complete
      case let v?: throw Diagnostic("--compat must be 9 or 10, found \(v)")
      }
      let evaluation = try TrecEvaluationFiles.evaluate(qrels: qrels, run: run, options: options)
      if json {
        FileHandle.standardOutput.write(try RetrievalJSON.render(evaluation))
      } else {
        let header = specs.contains { ["official", "all_trec", "runid", "num_q"].contains($0) }
        print(TrecEvalText(header: header, perQuery: perQuery).render(evaluation), terminator: "")
      }
      let c = evaluation.counts
      if c.missingRankings > 0 {
        Terminal.error(
          "note: \(c.missingRankings) judged quer\(c.missingRankings == 1 ? "y has" : "ies have") no ranking in the run; "
            + (options.querySet == .all ? "counted as 0 (as trec_eval -c)\n" : "left out of the mean\n"))
      }
      return .passed
    }
  }
}
