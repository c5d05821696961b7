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
      let (shards, cases, fragments) = try await MergeCommand.read(readers, into: outputDir, profile: profile)
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
      // results.jsonl in report order, each line as kept.
      try AtomicFile.write(to: outputDir + "/results.jsonl") { fd in
        for c in report.cases {
          let line = try fragments.json(c.id) ?? JSONReport.line(fragments.whole(c))
          try line.withUnsafeBytes { try AtomicFile.writeAll(fd, $0) }
        }
      }
      try await RunSession.writeReports(report, fragments: fragments, to: outputDir, profile: profile)
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

  /// Every shard's cases, each once (the first shard that has it), read one at a time: written into the
  /// kept pieces (``ResultsStream``) and held packed, in report order; and each shard's report without its
  /// cases.
  /// - Throws: ``Diagnostic`` for a file that is not a run's results.json.
  static func read(
    _ readers: [ResultsFileReader], into outputDir: String, profile: JUnitReport.Profile
  ) async throws -> ([RunReport], CaseList, CaseFragments) {
    let stream = ResultsStream(
      scratch: outputDir, junit: JUnitReport(profile: profile, hostname: Terminal.hostname), compact: true)
    var shards: [RunReport] = []
    var seen = CaseIDSet()
    let decoder = JSONDecoder()
    for reader in readers {
      while let bytes = try reader.nextCase() {
        let c: CaseResult
        do {
          c = try decoder.decode(CaseResult.self, from: Data(bytes))
        } catch {
          throw Diagnostic(
            "cannot read results (\(BaselineFile.describe(error)))",
            at: SourceLocation(file: reader.path, line: 1, column: 1))
        }
        guard seen.insert(c.id) else { continue }
        await stream.append(c)
        await stream.collect(c)
      }
      shards.append(try reader.header())
    }
    var cases = await stream.takeResults()
    cases.sortInReportOrder(suiteOrder: RunReport.mergedSuiteOrder(shards))
    return (shards, cases.take(), await stream.fragments)
  }
}
