import ArgumentParser
import Crypto
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

  /// The baseline file of a suite.
  static func path(for suite: String, in dir: String) -> String {
    dir + "/" + suite.replacingOccurrences(of: "/", with: "_") + ".json"
  }

  struct Accept: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "accept",
      abstract: "Bless a run's results as the baseline of each of its suites (alias: bless).",
      usage: "evalgate baseline accept [<options>] [<results>]",
      discussion: """
        Writes baselines/<suite>.json for every suite in RESULTS (atomically: a temporary file renamed \
        over the old one) and prints what changed against the baseline it replaces. A baseline whose \
        cases, outcomes and scores are unchanged (only latencies and the bless time differ) is left \
        byte for byte as it was, so an unchanged run makes no pull-request diff. Nothing else ever \
        writes a baseline. Commit the files and review them in the pull request.

        Examples:
          evalgate run && evalgate baseline accept
          evalgate baseline accept reports/results.json --suite support-assistant
        """,
      aliases: ["bless"])

    @Argument(help: "The run's results.json (default: results.json in evalgate.yaml's outputDir, else reports/).")
    var results: String?

    @Option(help: "The baselines directory.")
    var dir = "baselines"

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
      let bytes = try ComparisonInput.readFile(results)
      let report: RunReport
      do {
        report = try JSONReport.decode(bytes)
      } catch {
        throw Diagnostic(
          "cannot read results (\(BaselineFile.describe(error)))", at: SourceLocation(file: results, line: 1, column: 1)
        )
      }
      if !allowPartial, report.interrupted || report.summary.skipped > 0 {
        throw Diagnostic(
          "\(results): the run was interrupted or skipped \(report.summary.skipped) cases; "
            + "re-run it, or bless it anyway with --allow-partial")
      }
      let chosen = suites.isEmpty ? report.suiteIDs.sorted() : suites
      for name in chosen where !report.suiteIDs.contains(name) {
        throw Diagnostic("\(results) has no suite or retrieval fixture '\(name)'")
      }
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      let created = ISO8601DateFormatter().string(from: Date())
      let source = "\(results) (run started \(ISO8601DateFormatter().string(from: report.startedAt)))"
      // Prompt suites and retrieval fixtures alike: one file each, their cases (or queries) as records.
      let records = report.records
      let files =
        report.suites.map { ($0.id, $0.file) } + (report.retrieval ?? []).map { ($0.fixture, $0.file) }
      var wrote = false
      for (id, file) in files where chosen.contains(id) {
        let baseline = Baseline(
          tool: "evalgate \(EvalgateCommand.version)", suite: id, suiteFile: file,
          suiteHash: Accept.sha256(ofFile: file), configHash: Accept.sha256(ofFile: config), createdAt: created,
          source: source, cases: records.filter { $0.suite == id })
        let path = BaselineCommand.path(for: id, in: dir)
        let old = try? ComparisonInput.load(path)
        let oldFile = try? BaselineFile.parse(ComparisonInput.readFile(path), path: path)
        if let oldFile, baseline.differsOnlyInTimings(from: oldFile) {
          print("\(path): unchanged, \(baseline.cases.count) cases (only timings differ: file left as it was)")
          continue
        }
        try AtomicFile.write(try BaselineFile.render(baseline), to: path)
        print("\(path): \(Accept.changes(from: old?.cases, to: baseline.cases))")
        wrote = true
      }
      if wrote { print("next: commit \(dir)/ and review it in the pull request; every run compares with it") }
    }

    /// What blessing changed, in a line.
    static func changes(from old: [CaseRecord]?, to new: [CaseRecord]) -> String {
      guard let old else { return "created with \(new.count) cases" }
      let before = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
      let after = Set(new.map(\.id))
      let added = new.filter { before[$0.id] == nil }.count
      let removed = old.filter { !after.contains($0.id) }.count
      var worse = 0
      var better = 0
      for c in new {
        guard let b = before[c.id]?.passFraction, let n = c.passFraction else { continue }
        if n < b { worse += 1 } else if n > b { better += 1 }
      }
      return "\(new.count) cases; \(added) added, \(removed) removed, \(worse) pass→fail, \(better) fail→pass"
    }

    static func sha256(ofFile path: String) -> String? {
      FileManager.default.contents(atPath: path).map { Hex.lowercase(SHA256.hash(data: $0)) }
    }
  }
}
