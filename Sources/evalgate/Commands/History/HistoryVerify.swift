import ArgumentParser
import EvalCore
import EvalHistory
import EvalRun
import Foundation

/// `evalgate history verify`: recomputes the audit chain (exit 0 intact, 1 naming the first broken record),
/// one record at a time, each hashed chunk by chunk (``HistoryStore/verifyChain()``).
struct HistoryVerify: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify", abstract: "Recompute the audit chain (exit 0 intact, 1 with the first broken record).")

  @OptionGroup var store: HistoryStoreOptions

  func run() async throws {
    try await CommandOutcome.finish {
      try await store.with { history -> ExitStatus in
        let verified: ChainVerifier
        do {
          let (verifier, broken) = try await history.verifyChain()
          if let broken {
            Terminal.output("BROKEN: \(broken)")
            return .gateFailed
          }
          verified = verifier
        } catch let e as HistoryError {
          Terminal.output("BROKEN: \(e)")
          return .gateFailed
        }
        Terminal.output(
          "INTACT: \(verified.count) record\(verified.count == 1 ? "" : "s")"
            + (verified.newest.map { ", newest \($0.id), hash \($0.audit.hash)" } ?? ""))
        return .passed
      }
    }
  }
}
