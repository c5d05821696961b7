import ArgumentParser
import EvalCore
import EvalLoading
import EvalReports
import EvalRun
import Foundation

/// `evalgate explain CASE_ID`: one case of a run (or of a baseline) in full.
struct ExplainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Explain one case: messages sent, output, every assertion's reason, baseline and retries.",
    usage: "evalgate explain [<options>] <case-id>",
    discussion: """
      CASE_ID is a case id as the reports print it (b5a08db61831ebe3, or a unique prefix of at least 4 \
      characters) or a test's id or title; a test that ran against several prompts or providers shows \
      each. The case comes from a run's output folder or results.json (default: the output dir of \
      evalgate.yaml, else reports/), or from a baseline file or folder, which keeps only outcomes and \
      scores. Its outcome in the baseline (default: baselines/ when it exists) is shown beside it.

      Examples:
        # the failing case the console named, from the last run
        evalgate explain b5a08db61831ebe3
        # a test by its id, from another run, against another baseline
        evalgate explain capital --from out/ --baseline old/baselines/
      """)

  @Argument(help: "The case id (or a unique prefix), or a test's id or title.")
  var caseID: String

  @Option(help: "A run's output folder or results.json, or a baseline file or folder (default: reports).")
  var from: String?

  @Option(help: "The baseline file or folder to compare with (default: baselines/ when it exists).")
  var baseline: String?

  @Flag(name: .customLong("no-baseline"), help: "Do not look the case up in a baseline.")
  var noBaseline = false

  @Option(
    name: [.customShort("c"), .customLong("config")], help: "Project config (default: evalgate.yaml if present).")
  var config: String?

  func run() async throws {
    try await CommandOutcome.finish {
      let source = try from ?? (ProjectConfigLoader.load(path: config).outputDir)
      let found = try CaseLookup.load(source)
      switch found {
      case .run(let report, let path):
        let cases = try CaseLookup.select(caseID, in: report.cases.map(CaseLookup.Entry.init), at: path)
        let side = try baselineSide()
        let chosen = Set(cases.map(\.id))
        let results = report.cases.filter { chosen.contains($0.id) }
        let pages = results.map { CaseExplanation.render($0, baseline: side($0.id)) }
        Terminal.output(pages.joined(separator: "\n" + String(repeating: "─", count: 40) + "\n\n"), terminator: "")
        Terminal.output(Self.next(for: results))
      case .baseline(let records, let path):
        let cases = try CaseLookup.select(caseID, in: records.map(CaseLookup.Entry.init), at: path)
        for entry in cases {
          guard let r = records.first(where: { $0.id == entry.id }) else { continue }
          Terminal.output(CaseExplanation.render(r, source: path), terminator: "")
        }
      }
      return .passed
    }
  }

  /// The baseline side for each case id: `--baseline`, else `baselines/` when it exists.
  func baselineSide() throws -> (CaseID) -> CaseExplanation.BaselineSide {
    guard let store = BaselineStore.resolve(flag: baseline, disabled: noBaseline) else { return { _ in .none } }
    let byID = Dictionary(try store.load().cases.map { ($0.id, $0) }) { a, _ in a }
    return { id in byID[id].map { .found($0, source: store.file(of: $0)) } ?? .missing(source: store.path) }
  }

  /// What to type next.
  static func next(for cases: some Collection<CaseResult>) -> String {
    if cases.contains(where: { $0.outcome == .failed }) {
      return "\nnext: fix the prompt, the provider or the test, then `evalgate run`;\n"
        + "      if the new output is the right one, `evalgate baseline accept` blesses it"
    }
    if cases.contains(where: { $0.outcome == .errored }) {
      return "\nnext: the endpoint failed; check it (or --timeout, --max-retries), then `evalgate run`"
    }
    return ""
  }
}
