import Foundation

/// Where the history lives, from `--history`, `EVALGATE_HISTORY_URL` or `history:` in evalgate.yaml:
/// a file path or `sqlite:PATH` (SQLite), `postgres://…` or `postgresql://…` (PostgreSQL, see `PostgresURL`).
public enum HistoryLocation: Sendable, Hashable, CustomStringConvertible {
  /// An SQLite file.
  case sqlite(path: String)
  /// A PostgreSQL server.
  case postgres(url: String)

  /// The default: `.evalgate/history.sqlite` under `directory`.
  public static func defaultLocation(in directory: String = ".") -> HistoryLocation {
    .sqlite(path: directory == "." ? ".evalgate/history.sqlite" : directory + "/.evalgate/history.sqlite")
  }

  /// Parses a history URL or path.
  /// - Throws: `HistoryError.unsupportedURL` for another scheme.
  public init(parsing text: String) throws {
    let lower = text.lowercased()
    if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
      self = .postgres(url: text)
    } else if lower.hasPrefix("sqlite://") {
      self = .sqlite(path: String(text.dropFirst("sqlite://".count)))
    } else if lower.hasPrefix("sqlite:") {
      self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
    } else if lower.hasPrefix("file://") {
      self = .sqlite(path: String(text.dropFirst("file://".count)))
    } else if let colon = text.firstIndex(of: ":"), text[..<colon].count > 1,
      text[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }),
      text[colon...].hasPrefix("://")
    {
      throw HistoryError.unsupportedURL(Self.redacted(text))
    } else {
      guard !text.isEmpty else { throw HistoryError.unsupportedURL(text) }
      self = .sqlite(path: text)
    }
  }

  /// The location with any password removed, for messages.
  public var description: String {
    switch self {
    case .sqlite(let path): path
    case .postgres(let url): Self.redacted(url)
    }
  }

  /// `scheme://user:secret@host` → `scheme://user:***@host`.
  public static func redacted(_ url: String) -> String {
    guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].lastIndex(of: "@") else { return url }
    let credentials = url[scheme.upperBound..<at]
    guard let colon = credentials.firstIndex(of: ":") else { return url }
    return String(url[..<colon]) + ":***" + String(url[at...])
  }

  /// Opens the store (creating or migrating its schema when needed); PostgreSQL reads `PGUSER`, `PGPASSWORD`
  /// and `PGDATABASE` from `environment` for what the URL leaves out.
  /// - Throws: when it cannot be reached, created or migrated.
  public func open(environment: [String: String] = ProcessInfo.processInfo.environment) async throws
    -> any HistoryStore
  {
    switch self {
    case .sqlite(let path): return try SQLiteHistoryStore(path: path)
    case .postgres(let url):
      return try await PostgresHistoryStore(url: PostgresURL(parsing: url, environment: environment))
    }
  }
}
