import ArgumentParser
import EvalCore
import EvalLoading
import EvalReports
import EvalRun
import Foundation

/// `evalgate compare BASELINE CANDIDATE`: the verdict of a candidate against a baseline.
struct CompareCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare a candidate run with a baseline and give the verdict: PROMOTE, HOLD or ROLLBACK.",
    usage: "evalgate compare [<options>] <baseline> <candidate>",
    discussion: """
      BASELINE and CANDIDATE are each a run's output folder, its results.json, a baseline file or a \
      folder of baseline files. Cases are paired by their stable ids.

      Exit codes: 0 PROMOTE, 1 ROLLBACK, 2 usage error, 3 HOLD, 4 could not evaluate (no case in common).

      Examples:
        # this run against the blessed baselines
        evalgate compare baselines/ reports/
        # two runs' output folders, the verdict also as Markdown
        evalgate compare old-run/ new-run/ --markdown verdict.md
      """)

  @Argument(help: "The baseline: a baseline file, a results.json, or a directory of baseline files.")
  var baseline: String

  @Argument(help: "The candidate: a results.json, a baseline file, or a directory of baseline files.")
  var candidate: String

  @Option(
    name: [.customShort("c"), .customLong("config")],
    help: "Project config whose 'verdict' section applies (default: evalgate.yaml if present).")
  var config: String?

  @OptionGroup var verdict: VerdictOptions

  func run() async throws {
    try await CommandOutcome.finish {
      let base = try BaselineStore.load(baseline)
      let cand = try BaselineStore.load(candidate)
      // Suites' own gates as the candidate's run recorded them (else the baseline's), under the project's.
      let policy = try ProjectConfigLoader.load(path: config).verdict.adding(
        suiteGates: cand.suiteGates.merging(base.suiteGates) { a, _ in a })
      return try verdict.judge(
        baseline: base.cases, candidate: cand.cases, policy: policy, label: "\(baseline) → \(candidate)"
      ).status
    }
  }
}

/// Options shared by `compare`, `run --baseline` and `canary`: the seed, where the Markdown goes, and
/// which verdicts fail the build.
struct VerdictOptions: ParsableArguments {
  @Option(help: "Seed of the bootstrap and permutation draws (default: 'verdict.seed' or 20261129; printed).")
  var seed: UInt64?

  @Option(help: "Also write the Markdown summary to this file.")
  var markdown: String?

  @Option(
    name: .customLong("fail-on"),
    help: "Which verdicts fail: hold (HOLD exits 3, ROLLBACK 1) or rollback (only ROLLBACK fails).")
  var failOn: RunDecision.FailOn = .hold

  /// Compares, prints the verdict and writes the summaries; the decision and the exit status it calls for.
  func judge(
    baseline: [CaseRecord], candidate: [CaseRecord], policy: VerdictPolicy, label: String
  ) throws -> (decision: RunDecision, status: ExitStatus) {
    try conclude(compare(baseline, candidate, policy: policy), label: label)
  }

  /// The comparison, with `--seed` over the policy's seed.
  func compare(_ baseline: [CaseRecord], _ candidate: [CaseRecord], policy: VerdictPolicy) -> Comparison {
    var policy = policy
    if let seed { policy.seed = seed }
    return Comparison(baseline: baseline, candidate: candidate, policy: policy)
  }

  /// Decides, prints the decision and the verdict, writes the Markdown summary; the decision and the exit
  /// status.
  func conclude(_ comparison: Comparison, label: String) throws -> (decision: RunDecision, status: ExitStatus) {
    let concluded = ExitStatus.conclude(comparison, context: label, failOn: failOn)
    try publish(comparison, decision: concluded.decision, label: label, headline: true)
    return concluded
  }

  /// Prints the verdict (after the decision's headline, unless it was printed already) and writes the
  /// Markdown summary (and appends it to `$GITHUB_STEP_SUMMARY`).
  func publish(_ comparison: Comparison, decision: RunDecision, label: String, headline: Bool) throws {
    let summary = VerdictSummary().markdown(comparison, decision: decision)
    if let markdown { try AtomicFile.write(summary, to: markdown) }
    if let step = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !step.isEmpty,
      let handle = FileHandle(forWritingAtPath: step)
    {
      handle.seekToEndOfFile()
      handle.write(Data(summary.utf8))
      try? handle.close()
    }
    if headline { Terminal.output(decision.headline) }
    Terminal.output(VerdictSummary.console(comparison, label: label), terminator: "")
  }
}

extension RunDecision.FailOn: ExpressibleByArgument {}
