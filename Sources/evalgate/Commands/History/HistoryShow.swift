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
        let reader: StoredRecordReader
        do {
          guard let found = try await history.entry(id: runID) else {
            throw Diagnostic("no run '\(runID)' in the history")
          }
          reader = try await StoredRecordReader(history, at: found.position)
        } catch let e as HistoryError {
          throw Diagnostic("\(e)")
        }
        if json {
          try await Self.printJSON(reader)
          return .passed
        }
        // Each suite's cases counted as they are read, chunk by chunk: (cases, judged, passed).
        var tallies: [String: (cases: Int, judged: Int, passed: Int)] = [:]
        do {
          try await reader.forEachCase { c in
            tallies[c.suite, default: (0, 0, 0)].cases += 1
            if let p = c.passed {
              tallies[c.suite, default: (0, 0, 0)].judged += 1
              if p { tallies[c.suite, default: (0, 0, 0)].passed += 1 }
            }
          }
        } catch let e as HistoryError {
          throw Diagnostic("\(e)")
        }
        let r = reader.header
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
          let tally = tallies[suite] ?? (0, 0, 0)
          let rate = tally.judged == 0 ? nil : Double(tally.passed) / Double(tally.judged)
          lines.append(
            "  suite     \(suite): pass rate \(rate.map(TrendText.percent) ?? "-"), \(tally.cases) cases")
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

  /// Prints the record as pretty JSON (what `JSONEncoder`'s `.prettyPrinted` makes of it), laid out and
  /// written piece by piece as its chunks are read: the record is never held whole.
  static func printJSON(_ reader: StoredRecordReader) async throws {
    var layout = PrettyJSONStream()
    let out = FileHandle.standardOutput
    do {
      try await reader.forEachTextPiece { piece in try out.write(contentsOf: layout.layout(piece)) }
    } catch let e as HistoryError {
      throw Diagnostic("\(e)")
    }
    try out.write(contentsOf: Data("\n".utf8))
  }
}
