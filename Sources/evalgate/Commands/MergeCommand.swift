import ArgumentParser
import EvalCore
import EvalLoading
import EvalReports
import EvalRun
import Foundation

/// `evalgate merge DIR…`: the output dirs of a sharded run (`--shard i/n`) as one run's reports, with the
/// gate and the verdict recomputed from the merged cases.
struct MergeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Merge the reports of a sharded run (evalgate run --shard i/n) into one run's reports.",
    usage: "evalgate merge [<options>] <dirs> ...",
    discussion: """
      Reads DIR/results.json of each shard and writes results.json, results.jsonl and junit.xml (and \
      verdict.md when compared with baselines) as one unsharded run would: every case once, counts and \
      the gate recomputed, the verdict computed from the merged per-case data. Exit codes as evalgate run.

      Example:
        evalgate merge shard-1/ shard-2/ shard-3/ -o reports/
      """
  )

  @Argument(help: "The shards' output dirs.") var dirs: [String]

  @Option(
    name: [.customShort("o"), .customLong("output-dir")], help: "Where the merged reports go.")
  var outputDir = "reports"

  @Option(
    name: [.customShort("c"), .customLong("config")], help: "Project config (default: evalgate.yaml if present).")
  var config: String?

  @Option(help: "Compare with this baseline file, results.json or directory (default: baselines/ when it exists).")
  var baseline: String?

  @Flag(name: .customLong("no-baseline"), help: "Gate on the plain pass rate; do not compare with baselines.")
  var noBaseline = false

  @Option(name: .customLong("min-pass-rate"), help: "Minimum fraction of judged cases that must pass (0…1).")
  var minPassRate: Double?

  @Option(name: .customLong("junit-profile"), help: "JUnit shape: rich (file/line, properties) or strict.")
  var junitProfile: JUnitReport.Profile?

  @OptionGroup var verdict: VerdictOptions

  @OptionGroup var history: HistoryOptions

  func run() async throws {
    try await CommandOutcome.finish {
      let project = try ProjectConfigLoader.load(path: config)
      var gate = project.gate
      if let minPassRate { gate.minPassRate = minPassRate }
      let profile = junitProfile ?? JUnitReport.Profile(rawValue: project.junitProfile) ?? .rich
      // Opened before the output dir is claimed (it may be one of them); read a case at a time.
      let readers = try dirs.map { try ResultsFileReader(path: $0 + "/results.json") }
      let claimed = try OutputDir.claim(outputDir)
      defer { withExtendedLifetime(claimed) {} }
      let reporters =
        RunReporters.standard(
          outputDir: outputDir, inReportOrder: true, junit: JUnitReport(profile: profile, hostname: Terminal.hostname))
        + [CIAnnotations()]
      let (shards, cases, finisher) = try await MergedShards.read(readers, scratch: outputDir, reporters: reporters)
      var report = RunReport(merging: shards, cases: cases, gate: gate)
      let store = BaselineStore.resolve(flag: baseline, disabled: noBaseline)
      let path = store?.path ?? Baselines.defaultFolder
      if let store {
        let base = try store.load().restricted(to: report, shard: nil)
        if !base.cases.isEmpty {
          report.verdict = verdict.compare(
            base.cases, report.records, policy: project.verdict.adding(suiteGates: Baselines.suiteGates(of: report)))
        }
      }
      let interrupted = shards.contains(where: \.interrupted)
      let (decision, status) = ExitStatus.conclude(
        gate: report.gate, comparison: report.verdict, context: report.verdict == nil ? nil : "against \(path)",
        failOn: verdict.failOn, interrupted: interrupted, finished: report.summary.total - report.summary.skipped,
        total: report.summary.total, retrievalFailures: (report.retrieval ?? []).flatMap(\.failures))
      report.decision = decision
      try await finisher.finish(report, outputDir: outputDir)
      Terminal.output(ConsoleSummary(color: Terminal.useColor).render(report, outputDir: outputDir), terminator: "")
      if let comparison = report.verdict {
        var verdict = self.verdict
        if verdict.markdown == nil { verdict.markdown = outputDir + "/verdict.md" }
        try verdict.publish(
          comparison, decision: decision, label: "merged \(dirs.count) shards against \(path)", headline: false)
      }
      await HistoryHook(options: history, configPath: config, environment: ProcessInfo.processInfo.environment)
        .record(report, kind: .merge, exitCode: status.rawValue, resultsFile: outputDir + "/results.json")
      return status
    }
  }
}
