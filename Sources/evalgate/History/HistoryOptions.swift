import ArgumentParser
import EvalHistory
import EvalLoading

/// `--history URL` and `--no-history`, shared by `run`, `canary` and `merge`.
struct HistoryOptions: ParsableArguments {
  @Option(
    name: .customLong("history"),
    help: ArgumentHelp(
      "Where run history is kept: a path, sqlite:PATH or postgres://… (default: EVALGATE_HISTORY_URL, "
        + "'history:' in evalgate.yaml, else .evalgate/history.sqlite)."))
  var url: String?

  @Flag(name: .customLong("no-history"), help: "Do not record this run in the history.")
  var disabled = false

  /// The store's location: `--history`, else `EVALGATE_HISTORY_URL`, else `history:`, else the default.
  static func location(flag: String?, configured: String?, environment: [String: String]) throws -> HistoryLocation {
    if let text = flag ?? environment["EVALGATE_HISTORY_URL"].flatMap({ $0.isEmpty ? nil : $0 }) ?? configured {
      return try HistoryLocation(parsing: text)
    }
    return .defaultLocation()
  }
}
