/// Why the history could not be used.
public enum HistoryError: Error, CustomStringConvertible, Sendable {
  /// The history URL's scheme is not one evalgate stores to.
  case unsupportedURL(String)
  /// A history URL option with a value evalgate does not know (the URL is shown with its password redacted).
  case invalidOption(url: String, option: String, value: String, expected: String)
  /// A stored record could not be decoded.
  case corruptRecord(position: Int, reason: String)
  /// The database refused or failed a statement, or could not be reached (no credentials in the text).
  case database(String)
  /// A run id prefix matches several runs.
  case ambiguousID(String, [String])

  /// A one-line message.
  public var description: String {
    switch self {
    case .unsupportedURL(let url):
      "unsupported history URL '\(url)': use a file path, sqlite:PATH or postgres://USER@HOST:PORT/DB"
    case .invalidOption(let url, let option, let value, let expected):
      "history URL '\(url)': \(option)=\(value) is not supported (expected \(expected))"
    case .database(let reason): reason
    case .corruptRecord(let position, let reason): "history record \(position) cannot be read: \(reason)"
    case .ambiguousID(let prefix, let ids):
      "run id '\(prefix)' matches \(ids.count) runs (\(ids.prefix(3).joined(separator: ", "))…): give more of it"
    }
  }
}
