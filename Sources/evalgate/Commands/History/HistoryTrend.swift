import ArgumentParser
import EvalCore
import EvalHistory
import EvalRun
import Foundation

/// `evalgate history trend`: slow-drift tests over each suite's last runs; exit 3 when one drifts.
struct HistoryTrend: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trend", abstract: "Test each suite's last runs for slow drift (exit 0 stable, 3 drifting).",
    usage: "evalgate history trend [<options>]")

  @OptionGroup var store: HistoryStoreOptions

  @Option(help: "Only this suite (default: every suite in the newest runs).")
  var suite: String?

  @Option(help: "Only this metric: pass_rate, score or a named metric.")
  var metric: String?

  @Option(help: "Runs per window, the newest.")
  var window = 10

  @Option(help: "Family-wise false-alarm rate per suite.")
  var alpha = 0.01

  @Flag(help: "Print JSON: one report per suite.")
  var json = false

  func validate() throws {
    guard window >= 2 else { throw ValidationError("--window must be at least 2") }
    guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1") }
  }

  func run() async throws {
    try await CommandOutcome.finish {
      try await store.with { history -> ExitStatus in
        var suites: [String]
        if let suite {
          suites = [suite]
        } else {
          suites = try await history.suites(recent: 100)
        }
        let detector = DriftDetector(alpha: alpha, metric: metric)
        var reports: [DriftReport] = []
        for s in suites {
          reports.append(try await history.drift(suite: s, window: window, detector: detector))
        }
        if json {
          Terminal.output(try HistoryStoreOptions.json(reports))
        } else if reports.isEmpty {
          Terminal.output("no runs recorded\(suite.map { " for suite \($0)" } ?? "")")
        } else {
          Terminal.output(reports.map(TrendText.render).joined(separator: "\n"), terminator: "")
          let drifting = reports.filter(\.drifting).map(\.suite)
          Terminal.output(
            drifting.isEmpty
              ? "STABLE: no suite drifted over its last \(window) runs"
              : "DRIFTING: \(drifting.joined(separator: ", "))")
        }
        return reports.contains(where: \.drifting) ? .hold : .passed
      }
    }
  }
}
