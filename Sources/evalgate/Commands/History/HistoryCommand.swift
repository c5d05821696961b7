import ArgumentParser
import EvalCore
import EvalHistory
import EvalLoading
import EvalRun
import Foundation

/// `evalgate history`: the runs recorded by `run`, `canary` and `merge`.
struct HistoryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "List, show, trend, import and verify recorded runs.",
    discussion: """
      Every run, canary and merge appends a record (gate, verdict, per-case outcomes, audit) to the history: \
      .evalgate/history.sqlite unless --history, EVALGATE_HISTORY_URL or 'history:' in evalgate.yaml says otherwise.

      Examples:
        evalgate history list --limit 10
        evalgate history show 3f2a
        evalgate history trend --suite support-assistant
      """,
    subcommands: [HistoryList.self, HistoryShow.self, HistoryTrend.self, HistoryImport.self, HistoryVerify.self]
  )
}

/// Where the history subcommands read from.
struct HistoryStoreOptions: ParsableArguments {
  @Option(
    name: .customLong("history"),
    help: ArgumentHelp(
      "The history: a path, sqlite:PATH or postgres://… (default: EVALGATE_HISTORY_URL, 'history:' in "
        + "evalgate.yaml, else .evalgate/history.sqlite)."))
  var url: String?

  @Option(name: [.customShort("c"), .customLong("config")], help: "Project config file (for 'history:').")
  var config: String?

  /// Opens the store; a bad URL is a usage error, an unreachable store could-not-evaluate.
  func open() async throws -> any HistoryStore {
    let environment = ProcessInfo.processInfo.environment
    let configured = config != nil || FileManager.default.fileExists(atPath: ProjectConfigLoader.defaultFile)
    let project = configured ? try ProjectConfigLoader.load(path: config) : nil
    let location: HistoryLocation
    do {
      location = try HistoryOptions.location(flag: url, configured: project?.history, environment: environment)
    } catch {
      throw Diagnostic("\(error)")
    }
    if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
      Terminal.error("error: no history at \(path) yet: runs record there unless --no-history\n")
      throw ExitStatus.couldNotEvaluate.exitCode
    }
    do {
      return try await location.open()
    } catch {
      Terminal.error("error: cannot open the history at \(location): \(error)\n")
      throw ExitStatus.couldNotEvaluate.exitCode
    }
  }

  /// Runs `body` with the opened store, closing it after.
  func with<T>(_ body: (any HistoryStore) async throws -> T) async throws -> T {
    let history = try await open()
    do {
      let value = try await body(history)
      await history.close()
      return value
    } catch {
      await history.close()
      throw error
    }
  }

  /// Pretty, sorted JSON.
  static func json(_ value: some Encodable) throws -> String {
    let encoder = AuditChain.encoder
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}
