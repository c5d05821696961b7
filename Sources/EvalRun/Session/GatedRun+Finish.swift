import EvalCore
import EvalReports
import EvalStore
import Foundation

extension GatedRun {
  /// Whether the cases that ran (passed, failed or errored) can be held compacted once their report pieces are
  /// kept: not when something at the end reads every case whole (promptfoo's `afterEach`/`afterAll` hooks, a CSV
  /// `outputPath`).
  public static func compactsPassingCases(_ suites: [Suite]) -> Bool {
    !suites.contains { !$0.extensions.isEmpty || $0.outputPaths.contains { $0.lowercased().hasSuffix(".csv") } }
  }

  /// One `outputPath`: the report of its extension, copied from the output dir (CSV rendered).
  /// - Throws: file-system errors.
  public static func writeOutputPath(_ path: String, report: RunReport, outputDir: String) throws {
    let ext = (path as NSString).pathExtension.lowercased()
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    if ext == "csv" {
      try AtomicFile.write(CSVReport.render(report), to: path, durable: false)
      return
    }
    let source =
      [
        "json": "results.json", "jsonl": "results.jsonl", "html": "report.html", "xml": "junit.xml", "md": "summary.md",
      ][ext] ?? "results.json"
    let data = try Data(contentsOf: URL(fileURLWithPath: outputDir + "/" + source))
    try AtomicFile.write(Array(data), to: path, durable: false)
  }

  /// The comparison with the baselines of the suites that ran, when there are any: ``RunPlan/baseline``,
  /// else `baselines/` when it exists; with the path compared against. `nil` to gate on the plain pass rate.
  /// - Throws: ``Diagnostic`` for an unreadable baseline.
  func compareWithBaseline(_ report: RunReport, policy: VerdictPolicy) throws -> (Comparison, String)? {
    guard let store = BaselineStore.resolve(flag: plan.baseline, disabled: plan.noBaseline) else { return nil }
    // A shard is compared with its share of the baseline (retrieval queries stay with the first shard).
    let base = try store.load().restricted(to: report, shard: plan.shard)
    guard !base.cases.isEmpty else {
      if store.named { console.say("warning: \(store.path) holds no baseline for the suites that ran") }
      return nil
    }
    var policy = policy
    if let seed = plan.seed { policy.seed = seed }
    return (Comparison(baseline: base.cases, candidate: report.records, policy: policy), store.path)
  }

  /// Compares `report` with the baseline (unless the run was interrupted or nothing could be evaluated) and
  /// takes the one decision it leads with; the path compared against (empty without a comparison), or the
  /// baseline's error (the decision is then left out).
  func decide(_ report: inout RunReport, policy: VerdictPolicy) -> Result<String, any Error> {
    // Compared before the reports are written: the verdict goes into results.json and junit.xml too.
    var baselinePath = ""
    if !interrupted(), report.gate.status != .couldNotEvaluate {
      do {
        if let (comparison, path) = try compareWithBaseline(report, policy: policy) {
          report.verdict = comparison
          baselinePath = path
        }
      } catch {
        report.decision = nil
        return .failure(error)
      }
    }
    // The one decision: printed first, leading every report, and the exit code.
    report.decision =
      ExitStatus.conclude(
        gate: report.gate, comparison: report.verdict, context: report.verdict == nil ? nil : "against \(baselinePath)",
        failOn: plan.failOn, interrupted: interrupted(), finished: report.summary.total - report.summary.skipped,
        total: report.summary.total, retrievalFailures: (report.retrieval ?? []).flatMap(\.failures)
      ).decision
    return .success(baselinePath)
  }

  /// The run's end, once its reports are written: the suites' `outputPath` copies, the warnings of the stream
  /// and the response cache, the summary, a baseline that could not be read, the verdict published, the
  /// watcher and the history told (with results.json's SHA-256 when it was hashed as it was written). The outcome.
  func conclude<History: RunHistory>(
    _ report: RunReport, of setup: Setup, outputDir: String, stream: ResultsStream, decided: Result<String, any Error>,
    history: History, past before: History.Past, resultsSHA256: String?
  ) async -> Outcome {
    let ending = Outcome(status: .couldNotEvaluate, report: report, outputDir: outputDir)
    guard copyOutputPaths(report, suites: setup.prepared.suites, outputDir: outputDir) else { return ending }
    if let failure = await stream.failure { console.say("warning: \(failure)") }
    if let failure = setup.providers.values.lazy.compactMap({ ($0 as? CachingProvider)?.cacheWriteFailure }).first {
      console.say("warning: the response cache could not be written (\(failure)); answers were not saved")
    }
    console.summarize(report, outputDir: outputDir)
    console.phase("done")
    let baselinePath: String
    switch decided {
    case .success(let path): baselinePath = path
    case .failure(let error):
      console.say("\(error)")
      return Outcome(status: .usage, report: report, outputDir: outputDir)
    }
    let decision = report.effectiveDecision
    if let comparison = report.verdict {
      do {
        try console.publish(comparison, decision: decision, label: "against \(baselinePath)", outputDir: outputDir)
      } catch {
        console.say("error: \(error)")
        return ending
      }
    }
    let status = ExitStatus(decision.status, failOn: plan.failOn)
    await watcher.concluded(report)
    await history.record(
      report, exitCode: status.rawValue, resultsFile: outputDir + "/results.json", resultsSHA256: resultsSHA256,
      past: before)
    return Outcome(status: status, report: report, outputDir: outputDir)
  }
}
