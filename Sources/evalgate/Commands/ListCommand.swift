import ArgumentParser
import EvalCore
import EvalRun
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

  @OptionGroup var project: ProjectPaths
  @Option(name: .customLong("shard"), help: "Only shard i of n (e.g. 2/4).") var shard: String?
  @OptionGroup var filters: CaseFilters

  func validate() throws {
    do { _ = try plan() } catch { throw ValidationError(error.message) }
  }

  func run() async throws {
    try await CommandOutcome.finish {
      // Each case made once, its line spooled (in memory, then in a temporary file) and written only when
      // every case rendered: a million-case listing is never held in memory.
      let spool = OutputSpool()
      let prepared = try CaseListing.list(
        RunPlanner(plan: try plan(), environment: ProcessInfo.processInfo.environment, phase: PhaseTimer.mark),
        into: spool)
      spool.commit()
      let count = prepared.survey.cases
      Terminal.error("\(count) case\(count == 1 ? "" : "s")\n")
      return .passed
    }
  }

  /// The run these options describe.
  /// - Throws: ``RunPlan/InvalidFlag`` for a malformed `--shard`.
  func plan() throws(RunPlan.InvalidFlag) -> RunPlan {
    var plan = RunPlan()
    plan.paths = project.paths
    plan.config = project.config
    plan.shard = try shard.map(RunPlan.shard)
    plan.filter = filters.filter
    return plan
  }
}
