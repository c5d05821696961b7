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
      let (prepared, cases) = try RunPlanner(
        plan: try plan(), environment: ProcessInfo.processInfo.environment, phase: PhaseTimer.mark
      ).prepare()
      // Written as the cases are made, a block at a time: a million-case listing is never held.
      var out: [UInt8] = []
      out.reserveCapacity(ListCommand.blockSize + 4096)
      for c in cases {
        out += "\(c.id)  \(c.suiteID)  \(c.location.file):\(c.location.line)  \(c.title)  [\(c.providerLabel)]\n".utf8
        if out.count >= ListCommand.blockSize { ListCommand.write(&out) }
      }
      ListCommand.write(&out)
      let count = prepared.survey.cases
      Terminal.error("\(count) case\(count == 1 ? "" : "s")\n")
      return .passed
    }
  }

  /// Bytes of listing gathered before they are written.
  static let blockSize = 1 << 16

  /// Writes `bytes` to standard output (stopping at an error: a closed pipe, say) and empties it.
  static func write(_ bytes: inout [UInt8]) {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count, let base = raw.baseAddress {
        let n = Foundation.write(1, base + offset, raw.count - offset)
        if n > 0 {
          offset += n
        } else if n < 0, errno == EINTR {
          continue
        } else {
          break
        }
      }
    }
    bytes.removeAll(keepingCapacity: true)
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
