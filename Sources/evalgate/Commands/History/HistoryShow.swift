import ArgumentParser
import EvalCore
import EvalHistory
import EvalRun
import Foundation

/// `evalgate history show RUN`: one run's record and audit.
struct HistoryShow: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one recorded run.", usage: "evalgate history show [<options>] <run-id>")

  @OptionGroup var store: HistoryStoreOptions

  @Argument(help: "The run id (or a unique prefix of it).")
  var runID: String

  @Flag(help: "Print the full record as JSON, per-case outcomes included.")
  var json = false

  func run() async throws {
    try await CommandOutcome.finish {
      try await store.with { history -> ExitStatus in
        let found: RunRecord?
        do { found = try await history.record(id: runID) } catch let e as HistoryError { throw Diagnostic("\(e)") }
        guard let r = found else { throw Diagnostic("no run '\(runID)' in the history") }
        if json {
          Terminal.output(try HistoryStoreOptions.json(r))
          return .passed
        }
        let a = r.audit
        var lines = [
          "run \(r.id) (\(r.kind.rawValue))",
          "  started   \(AuditChain.encodedDate(r.startedAt)), finished \(AuditChain.encodedDate(r.finishedAt))",
          "  gate      \(r.gate.rawValue), pass rate \(TrendText.percent(r.passRate)) of \(r.summary.total) cases "
            + "(\(r.summary.passed) passed, \(r.summary.failed) failed, \(r.summary.errored) errored, \(r.summary.skipped) skipped)",
        ]
        if let v = r.verdict { lines.append("  verdict   \(v)") }
        if let d = r.decision { lines.append("  decision  \(d)\(r.exitCode.map { " (exit \($0))" } ?? "")") }
        for suite in r.suites {
          lines.append(
            "  suite     \(suite): pass rate \(r.passRate(of: suite).map(TrendText.percent) ?? "-"), "
              + "\(r.cases(of: suite).count) cases")
        }
        lines.append("  who       \(a.actor ?? "unknown")\(a.ciJobURL.map { ", job \($0)" } ?? "")")
        lines.append(
          "  code      \(a.gitCommit ?? "not in git")\(a.gitDirty == true ? " (dirty)" : "")\(a.branch.map { " on \($0)" } ?? ""), "
            + "evalgate \(a.toolVersion)")
        if let c = a.configSHA256 { lines.append("  config    sha256 \(c)") }
        for (file, digest) in a.suiteSHA256.sorted(by: { $0.key < $1.key }) {
          lines.append("  suite file sha256 \(digest)  \(file)")
        }
        for (label, models) in a.providers.sorted(by: { $0.key < $1.key }) {
          lines.append("  provider  \(label): \(models.isEmpty ? "no answer" : models.joined(separator: ", "))")
        }
        if let d = a.resultsSHA256 { lines.append("  results   sha256 \(d)") }
        lines.append(
          "  chain     hash \(a.hash), previous \(a.previousHash.isEmpty ? "(first record)" : a.previousHash)")
        Terminal.output(lines.joined(separator: "\n"))
        return .passed
      }
    }
  }
}
