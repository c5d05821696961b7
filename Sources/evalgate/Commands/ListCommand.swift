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
      let (prepared, cases) = try RunSession(options: try session()).prepare()
      for c in cases {
        print("\(c.id)  \(c.suiteID)  \(c.location.file):\(c.location.line)  \(c.title)  [\(c.providerLabel)]")
      }
      let count = prepared.survey.cases
      Terminal.error("\(count) case\(count == 1 ? "" : "s")\n")
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
