import ArgumentParser
import EvalCore
import EvalLoading
import EvalReports
import EvalRun
import Foundation

/// `evalgate baseline accept`: bless a run's results as the baselines later runs are compared with.
struct BaselineCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline",
    abstract: "Manage the blessed baselines in baselines/.",
    subcommands: [Accept.self])

  struct Accept: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "accept",
      abstract: "Bless a run's results as the baseline of each of its suites (alias: bless).",
      usage: "evalgate baseline accept [<options>] [<results>]",
      discussion: """
        Writes baselines/<suite>.json for every suite in RESULTS (atomically: a temporary file renamed \
        over the old one) and prints what changed against the baseline it replaces. A baseline whose \
        cases, outcomes, scores, tokens and costs are unchanged (only latencies, the bless time, the \
        source run and the evalgate version differ) is left byte for byte as it was, so an unchanged \
        run makes no pull-request diff; a rewritten one keeps the lines of its unchanged cases. \
        Nothing else ever writes a baseline. Commit the files and review them in the pull request.

        Examples:
          evalgate run && evalgate baseline accept
          evalgate baseline accept reports/results.json --suite support-assistant
        """,
      aliases: ["bless"])

    @Argument(help: "The run's results.json (default: results.json in evalgate.yaml's outputDir, else reports/).")
    var results: String?

    @Option(help: "The baselines directory.")
    var dir = Baselines.defaultFolder

    @Option(name: .customLong("suite"), help: "Bless only this suite (repeatable).")
    var suites: [String] = []

    @Option(name: [.customShort("c"), .customLong("config")], help: "The project config, hashed into the header.")
    var config = "evalgate.yaml"

    @Flag(help: "Bless an interrupted run, or one with skipped cases, too.")
    var allowPartial = false

    func run() async throws {
      try await CommandOutcome.finish {
        try bless()
        return .passed
      }
    }

    /// The results to bless: the argument, else the configured output dir's results.json.
    func resultsPath() throws -> String {
      if let results { return results }
      let file = FileManager.default.fileExists(atPath: config) ? config : nil
      return try ProjectConfigLoader.load(path: file).outputDir + "/results.json"
    }

    func bless() throws {
      let results = try resultsPath()
      let report = try BaselineStore.readResults(results)
      if !allowPartial, report.interrupted || report.summary.skipped > 0 {
        throw Diagnostic(
          "\(results): the run was interrupted or skipped \(report.summary.skipped) cases; "
            + "re-run it, or bless it anyway with --allow-partial")
      }
      let blessed = try BaselineStore.bless(report, resultsPath: results, suites: suites, into: dir, config: config)
      for (path, blessing) in blessed { print("\(path): \(blessing.summary)") }
      if blessed.contains(where: { $0.blessing.bytes != nil }) {
        print("next: commit \(dir)/ and review it in the pull request; every run compares with it")
      }
    }
  }
}
