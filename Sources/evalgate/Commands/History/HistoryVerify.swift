import ArgumentParser
import EvalCore
import EvalHistory
import EvalRun
import Foundation

/// `evalgate history verify`: recomputes the audit chain (exit 0 intact, 1 naming the first broken record).
struct HistoryVerify: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify", abstract: "Recompute the audit chain (exit 0 intact, 1 with the first broken record).")

  @OptionGroup var store: HistoryStoreOptions

  func run() async throws {
    try await CommandOutcome.finish {
      try await store.with { history -> ExitStatus in
        let records: [RunRecord]
        do {
          records = try await history.records(suite: nil, limit: nil)
        } catch let e as HistoryError {
          Terminal.output("BROKEN: \(e)")
          return .gateFailed
        }
        if let broken = AuditChain.verify(records) {
          Terminal.output("BROKEN: \(broken)")
          return .gateFailed
        }
        Terminal.output(
          "INTACT: \(records.count) record\(records.count == 1 ? "" : "s")"
            + (records.last.map { ", newest \($0.id), hash \($0.audit.hash)" } ?? ""))
        return .passed
      }
    }
  }
}
