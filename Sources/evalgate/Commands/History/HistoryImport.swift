import ArgumentParser
import EvalCore
import EvalHistory
import EvalLoading
import EvalReports
import EvalRun
import Foundation

/// `evalgate history import RESULTS…`: backfills the history from results.json files, oldest run first.
struct HistoryImport: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import", abstract: "Backfill the history from results.json files (or folders holding one).",
    usage: "evalgate history import [<options>] <results> ...")

  @OptionGroup var store: HistoryStoreOptions

  @Argument(help: "results.json files or report folders.")
  var results: [String]

  func run() async throws {
    try await CommandOutcome.finish {
      // Each file is read a case at a time into its record's draft (whose case bytes past a megabyte wait in a
      // temporary file): a 10^6-case results.json decoded whole took 4.9 GB. Every file is read before the
      // history is opened, so one that is not a run's results leaves nothing stored.
      var drafts: [(draft: RunRecordDraft, report: RunReport, path: String)] = []
      for given in results {
        var isDir: ObjCBool = false
        let path =
          FileManager.default.fileExists(atPath: given, isDirectory: &isDir) && isDir.boolValue
          ? given + "/results.json" : given
        var draft = RunRecordDraft(gatheringModels: true)
        let report = try ResultsFileReader(path: path).readCases(into: &draft)
        drafts.append((draft, report, path))
      }
      drafts.sort { $0.report.startedAt < $1.report.startedAt }
      let environment = ProcessInfo.processInfo.environment
      let location = try HistoryOptions.location(
        flag: store.url, configured: (try? ProjectConfigLoader.load(path: store.config))?.history,
        environment: environment)
      let history: any HistoryStore
      do {
        history = try await location.open()
      } catch {
        Terminal.error("error: cannot open the history at \(location): \(error)\n")
        return .couldNotEvaluate
      }
      for (var draft, report, path) in drafts {
        let audit = AuditCollector(environment: environment).collect(
          toolVersion: report.tool.version, configFile: nil, suiteFiles: [], resultsFile: path)
        // The id derives from the file's digest, so importing the same file twice stores it once.
        let digest = audit.resultsSHA256 ?? ""
        draft.finish(
          report: report,
          id: RunRecord.makeID(startedAt: report.startedAt, random: UInt64(digest.prefix(6), radix: 16) ?? 0),
          kind: .imported, exitCode: report.decision?.exitCode, audit: audit)
        let stored = try await history.append(&draft)
        Terminal.output("imported \(path) as run \(stored.id)")
      }
      await history.close()
      return .passed
    }
  }
}
