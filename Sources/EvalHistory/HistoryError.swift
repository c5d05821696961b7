/// Why the history could not be used.
public enum HistoryError: Error, CustomStringConvertible, Sendable {
  /// The history URL's scheme is not one evalgate stores to.
  case unsupportedURL(String)
  /// A stored record could not be decoded.
  case corruptRecord(position: Int, reason: String)
  /// A store this build cannot reach (PostgreSQL, for now).
  case notBuilt(String)
  /// A run id prefix matches several runs.
  case ambiguousID(String, [String])

  /// A one-line message.
  public var description: String {
    switch self {
    case .unsupportedURL(let url):
      "unsupported history URL '\(url)': use a file path, sqlite:PATH or postgres://USER@HOST:PORT/DB"
    case .notBuilt(let url): "\(url): PostgreSQL is not built into this evalgate yet"
    case .corruptRecord(let position, let reason): "history record \(position) cannot be read: \(reason)"
    case .ambiguousID(let prefix, let ids):
      "run id '\(prefix)' matches \(ids.count) runs (\(ids.prefix(3).joined(separator: ", "))…): give more of it"
    }
  }
}
