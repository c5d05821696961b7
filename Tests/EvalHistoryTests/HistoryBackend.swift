import EvalHistory
import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing

/// The stores the history tests run against: SQLite always, PostgreSQL when `EVALGATE_TEST_POSTGRES_URL` names
/// a server (scripts/test-postgres starts one; .ci/run does). Each test gets a new SQLite file or a new
/// PostgreSQL database.
enum HistoryBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case sqlite
  case postgres

  var testDescription: String { rawValue }

  /// The server the PostgreSQL cases create their databases on.
  static let postgresVariable = "EVALGATE_TEST_POSTGRES_URL"

  static var postgresURL: String? {
    ProcessInfo.processInfo.environment[postgresVariable].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// The backends the parameterized tests run on: PostgreSQL only when configured. (A cancelled test case is
  /// reported as passed, with no message, so the PostgreSQL cases are left out instead, and
  /// `HistoryStoreTests.postgreSQLIsReachable` is the one test that says they were skipped, and why.)
  static var available: [HistoryBackend] { postgresURL == nil ? [.sqlite] : allCases }

  /// A new, empty history of this kind; cancels (skips) the test case, naming the variable, when PostgreSQL
  /// is asked for and not configured.
  func makeFixture() async throws -> HistoryFixture {
    switch self {
    case .sqlite:
      return HistoryFixture(location: .sqlite(path: try HistoryTestSupport.scratch() + "/h/history.sqlite"))
    case .postgres:
      guard let url = Self.postgresURL else {
        try Test.cancel("\(Self.postgresVariable) is unset: the PostgreSQL history tests are skipped")
      }
      let name = "evalgate_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
      try await HistoryFixture.postgres(url) { connection, logger in
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
      }
      var parts = try #require(URLComponents(string: url))
      parts.path = "/" + name
      return HistoryFixture(location: .postgres(url: try #require(parts.string)))
    }
  }
}

/// One test's history: its location, and raw SQL on it for the tests that tamper behind the store's back.
struct HistoryFixture: Sendable {
  var location: HistoryLocation

  func open() async throws -> any HistoryStore { try await location.open() }

  /// Runs each statement on the history's database, directly.
  func execute(_ statements: [String]) async throws {
    switch location {
    case .sqlite(let path):
      let queue = try DatabaseQueue(path: path)
      try await queue.write { db in for sql in statements { try db.execute(sql: sql) } }
      try queue.close()
    case .postgres(let url):
      try await Self.postgres(url) { connection, logger in
        for sql in statements { try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
      }
    }
  }

  /// A new login role granted what a CI job gets on a PostgreSQL history (`SELECT, INSERT` on the first
  /// version's tables, no CREATE anywhere), after `setup` has run; the history's URL as that role.
  func ciRole(after setup: [String] = []) async throws -> String {
    guard case .postgres(let url) = location else { throw CocoaError(.featureUnsupported) }
    let role = "evalgate_ci_" + UUID().uuidString.prefix(8).lowercased()
    var parts = try #require(URLComponents(string: url))
    let database = String(parts.path.dropFirst())
    try await execute(
      setup + [
        "CREATE ROLE \(role) LOGIN PASSWORD 'ci-secret'",
        "REVOKE ALL ON DATABASE \(database) FROM PUBLIC", "GRANT CONNECT ON DATABASE \(database) TO \(role)",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        "GRANT SELECT, INSERT ON evalgate_run, evalgate_run_suite, evalgate_schema TO \(role)",
        "GRANT USAGE ON SEQUENCE evalgate_run_seq_seq TO \(role)",
      ])
    parts.user = role
    parts.password = "ci-secret"
    return try #require(parts.string)
  }

  /// The history tables' names in this backend (SQLite's predate PostgreSQL's prefix).
  var runTable: String {
    if case .postgres = location { return "evalgate_run" }
    return "run"
  }

  /// Connects to `url`, runs `body` and closes.
  static func postgres(
    _ url: String, _ body: (PostgresConnection, Logger) async throws -> Void
  ) async throws {
    let logger = Logger(label: "evalgate.tests.postgres")
    let target = try PostgresURL(parsing: url, environment: ProcessInfo.processInfo.environment)
    let connection = try await PostgresConnection.connect(
      configuration: try target.configuration(), id: 1, logger: logger)
    do {
      try await body(connection, logger)
      try await connection.close()
    } catch {
      try? await connection.close()
      throw error
    }
  }
}
