import ArgumentParser
import EvalCore
import Foundation

/// `evalgate list`: the cases a run would make, after filters and sharding, without calling anything.
struct ListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the cases a run would make (after filters), one per line; calls nothing.",
    usage: "evalgate list [<options>] [<paths> ...]",
    discussion: """
      Each line: case id, suite, file:line, title, [provider]. The count goes to stderr.

      Examples:
        evalgate list
        evalgate list --filter-tag smoke --filter-id 'support-*'
      """)

  @Argument(help: "Suite files or folders (default: evalgate.yaml's 'suites').") var paths: [String] = []
  @Option(name: [.customShort("c"), .customLong("config")], help: "Project config (default: evalgate.yaml).")
  var config: String?
  @Option(name: .customLong("shard"), help: "Only shard i of n (e.g. 2/4).") var shard: String?
  @OptionGroup var filters: CaseFilters

  func run() async throws {
    try await CommandOutcome.finish {
      let (_, cases) = try RunSession(options: try session()).prepare()
      for c in cases {
        print("\(c.id)  \(c.suiteID)  \(c.location.file):\(c.location.line)  \(c.title)  [\(c.providerLabel)]")
      }
      Terminal.error("\(cases.count) case\(cases.count == 1 ? "" : "s")\n")
      return .passed
    }
  }

  /// The run these options describe.
  func session() throws -> RunCommand {
    var args = paths
    if let config { args += ["-c", config] }
    if let shard { args += ["--shard", shard] }
    for t in filters.tags { args += ["--filter-tag", t] }
    for i in filters.ids { args += ["--filter-id", i] }
    if let f = filters.failing { args += ["--filter-failing", f] }
    return try RunCommand.parse(args)
  }
}

/// `evalgate validate`: loads evalgate.yaml, every suite and fixture and expands every case, reporting
/// every problem as `file:line:col: error: …`; calls nothing. Exit 0 when clean, 2 otherwise.
struct ValidateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check evalgate.yaml, the suites and the fixtures without calling anything.",
    usage: "evalgate validate [<options>] [<paths> ...]",
    discussion: """
      Exit codes: 0 clean, 2 with every problem listed as file:line:col: error: ….

      Examples:
        evalgate validate
        evalgate validate suites/support.yaml -c ci/evalgate.yaml
      """)

  @Argument(help: "Suite files or folders (default: evalgate.yaml's 'suites').") var paths: [String] = []
  @Option(name: [.customShort("c"), .customLong("config")], help: "Project config (default: evalgate.yaml).")
  var config: String?

  @Option(
    name: .customLong("max-cases"),
    help: "Refuse suites that expand to more cases or samples than this (default 10000000, or 'maxCases').")
  var maxCases: Int?

  func run() async throws {
    try await CommandOutcome.finish {
      var args = paths
      if let config { args += ["-c", config] }
      if let maxCases { args += ["--max-cases", String(maxCases)] }
      let (prepared, cases) = try RunSession(options: try RunCommand.parse(args)).prepare()
      let samples = cases.reduce(0) { $0 + $1.repeatCount }
      print(
        "OK: \(prepared.suites.count) suite\(prepared.suites.count == 1 ? "" : "s"), \(cases.count) cases"
          + (samples != cases.count ? " (\(samples) samples with repeats)" : "") + ", "
          + "\(prepared.fixtures.count) retrieval fixture\(prepared.fixtures.count == 1 ? "" : "s")")
      for note in prepared.skipped { print("note: \(note)") }
      return .passed
    }
  }
}
