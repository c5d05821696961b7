import ArgumentParser
import EvalCore
import EvalHistory
import EvalRun
import Foundation

/// `evalgate history list`: the newest runs, oldest first, each read from its row (its cases, chunk by chunk, only
/// for `--suite`'s pass rate).
struct HistoryList: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List recorded runs.", usage: "evalgate history list [<options>]")

  @OptionGroup var store: HistoryStoreOptions

  @Option(help: "Only runs of this suite.")
  var suite: String?

  @Option(help: "At most this many runs, the newest.")
  var limit = 20

  @Flag(help: "Print JSON: one object per run (no per-case outcomes).")
  var json = false

  func validate() throws {
    guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
  }

  func run() async throws {
    try await CommandOutcome.finish {
      try await store.with { history -> ExitStatus in
        // Each run's header from its row; its cases read (chunk by chunk) only for `--suite`'s pass rate.
        var records: [RunRecord] = []
        var suiteRates: [Double?] = []
        for entry in try await history.entries(suite: suite, limit: limit) {
          let reader = try await StoredRecordReader(history, at: entry.position)
          records.append(reader.header)
          guard let suite, !json else { continue }
          var (judged, passed) = (0, 0)
          try await reader.forEachCase { c in
            guard c.suite == suite, let p = c.passed else { return }
            judged += 1
            if p { passed += 1 }
          }
          suiteRates.append(judged == 0 ? nil : Double(passed) / Double(judged))
        }
        if json {
          Terminal.output(try HistoryStoreOptions.json(records))
          return .passed
        }
        if records.isEmpty {
          Terminal.output("no runs recorded\(suite.map { " for suite \($0)" } ?? "")")
          return .passed
        }
        var lines = [
          "RUN                      KIND     CASES  PASS RATE  GATE                VERDICT   EXIT  COMMIT    SUITES"
        ]
        for (i, r) in records.enumerated() {
          let commit = (r.audit.gitCommit.map { String($0.prefix(7)) } ?? "-") + (r.audit.gitDirty == true ? "+" : "")
          lines.append(
            [
              r.id.padding(toLength: 24, withPad: " ", startingAt: 0),
              r.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0),
              String(r.summary.total).leftPadded(5),
              TrendText.percent((suite == nil ? nil : suiteRates[i]) ?? r.passRate).leftPadded(9),
              r.gate.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0),
              (r.verdict ?? "-").padding(toLength: 8, withPad: " ", startingAt: 0),
              (r.exitCode.map(String.init) ?? "-").leftPadded(4),
              commit.padding(toLength: 8, withPad: " ", startingAt: 0),
              r.suites.joined(separator: ","),
            ].joined(separator: "  "))
        }
        Terminal.output(lines.joined(separator: "\n"))
        return .passed
      }
    }
  }
}

extension String {
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
