import EvalCore
import Foundation
import Logging
import PostgresNIO

/// The history in a PostgreSQL database shared by a team (`postgres://…`), in the tables `evalgate_run` and
/// `evalgate_run_suite`. One connection per store. Appends run in a transaction that first takes a
/// transaction-level advisory lock (readers go on; other evalgate writers queue), so runs writing at once each
/// link to the record before and none is lost; triggers refuse UPDATE, DELETE and TRUNCATE. An advisory lock
/// rather than `LOCK TABLE … IN EXCLUSIVE MODE`, which needs UPDATE, DELETE or TRUNCATE rights: a CI role with
/// SELECT and INSERT only can append. The schema is migrated under another advisory lock, so two runs opening a
/// new database at once do not race.
public actor PostgresHistoryStore: HistoryStore {
  private let connection: PostgresConnection
  private let logger: Logger

  /// The advisory lock key migrations hold ("evalgate" as a big-endian 64-bit integer).
  static let migrationLock: Int64 = 7_311_138_163_301_381_221
  /// The advisory lock key appends hold, from reading the newest hash to committing.
  static let appendLock: Int64 = migrationLock + 1

  /// Connects to `url` and migrates the schema.
  /// - Throws: `HistoryError.database` when the server cannot be reached, refuses the login or a migration.
  public init(url: PostgresURL) async throws {
    logger = Logger(label: "evalgate.history.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    let configuration = try url.configuration()
    do {
      connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
    } catch {
      throw HistoryError.database(
        "cannot connect to \(url.host):\(url.port) as \(url.user): \(Self.describe(error))")
    }
    do {
      try await Self.migrate(connection, logger: logger)
    } catch {
      try? await connection.close()
      throw error
    }
  }

  /// The schema, one list of statements per version; `evalgate_schema` records the versions applied.
  static let migrations: [[String]] = [
    [
      """
      CREATE TABLE evalgate_run (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        record TEXT NOT NULL,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      )
      """,
      """
      CREATE TABLE evalgate_run_suite (
        seq BIGINT NOT NULL REFERENCES evalgate_run(seq),
        suite TEXT NOT NULL,
        PRIMARY KEY (suite, seq)
      )
      """,
      """
      CREATE OR REPLACE FUNCTION evalgate_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'history is append-only'; END $$
      """,
      """
      CREATE TRIGGER evalgate_run_append_only BEFORE UPDATE OR DELETE ON evalgate_run
      FOR EACH ROW EXECUTE FUNCTION evalgate_append_only()
      """,
      """
      CREATE TRIGGER evalgate_run_no_truncate BEFORE TRUNCATE ON evalgate_run
      FOR EACH STATEMENT EXECUTE FUNCTION evalgate_append_only()
      """,
      """
      CREATE TRIGGER evalgate_run_suite_append_only BEFORE UPDATE OR DELETE ON evalgate_run_suite
      FOR EACH ROW EXECUTE FUNCTION evalgate_append_only()
      """,
      """
      CREATE TRIGGER evalgate_run_suite_no_truncate BEFORE TRUNCATE ON evalgate_run_suite
      FOR EACH STATEMENT EXECUTE FUNCTION evalgate_append_only()
      """,
    ]
  ]

  /// Applies the migrations not yet applied, in one transaction under the advisory lock.
  static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
    try await transaction(connection, logger: logger) {
      try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
      // Created only when missing: CREATE … IF NOT EXISTS would need CREATE rights on the schema even then.
      var exists = false
      for try await found in try await connection.query(
        "SELECT to_regclass('evalgate_schema') IS NOT NULL", logger: logger
      ).decode(Bool.self) {
        exists = found
      }
      if !exists {
        try await connection.query(
          """
          CREATE TABLE evalgate_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
          """, logger: logger)
      }
      var applied = 0
      for try await version in try await connection.query(
        "SELECT COALESCE(MAX(version), 0) FROM evalgate_schema", logger: logger
      ).decode(Int.self) {
        applied = version
      }
      for (index, statements) in migrations.enumerated() where index + 1 > applied {
        for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
        try await connection.query("INSERT INTO evalgate_schema (version) VALUES (\(index + 1))", logger: logger)
      }
    }
  }

  public func append(_ draft: inout RunRecordDraft) async throws -> RunRecord {
    let connection = connection
    let logger = logger
    let id = draft.header.id
    // Sealing moves the cases into the text: a failed insert or commit gives them back (to be spooled).
    var made: (record: RunRecord, text: String)?
    do {
      return try await insert(&draft, made: &made, id: id, connection: connection, logger: logger)
    } catch {
      if let made { try? draft.restore(made) }
      throw error
    }
  }

  private func insert(
    _ draft: inout RunRecordDraft, made: inout (record: RunRecord, text: String)?, id: String,
    connection: PostgresConnection, logger: Logger
  ) async throws -> RunRecord {
    try await Self.transaction(connection, logger: logger) {
      try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLock))", logger: logger)
      for try await (seq, stored) in try await connection.query(
        "SELECT seq, record FROM evalgate_run WHERE id = \(id)", logger: logger
      ).decode((Int, String).self) {
        return try SQLiteHistoryStore.header(Data(stored.utf8), position: seq)
      }
      var previous = ""
      for try await hash in try await connection.query(
        "SELECT hash FROM evalgate_run ORDER BY seq DESC LIMIT 1", logger: logger
      ).decode(String.self) {
        previous = hash
      }
      let sealed = try draft.seal(after: previous)
      made = sealed
      var seq = 0
      for try await inserted in try await connection.query(
        """
        INSERT INTO evalgate_run (id, kind, started_at, record, previous_hash, hash)
        VALUES (\(sealed.record.id), \(sealed.record.kind.rawValue), \(sealed.record.startedAt), \(sealed.text), \(previous), \(sealed.record.audit.hash))
        RETURNING seq
        """, logger: logger
      ).decode(Int.self) {
        seq = inserted
      }
      for suite in Set(sealed.record.suites).sorted() {
        try await connection.query(
          "INSERT INTO evalgate_run_suite (seq, suite) VALUES (\(seq), \(suite))", logger: logger)
      }
      return sealed.record
    }
  }

  public func records(suite: String?, limit: Int?) async throws -> [RunRecord] {
    let query: PostgresQuery
    switch (suite, limit) {
    case (let suite?, let limit?):
      query = """
        SELECT r.seq, r.record FROM evalgate_run r JOIN evalgate_run_suite s ON s.seq = r.seq
        WHERE s.suite = \(suite) ORDER BY r.seq DESC LIMIT \(limit)
        """
    case (let suite?, nil):
      query = """
        SELECT r.seq, r.record FROM evalgate_run r JOIN evalgate_run_suite s ON s.seq = r.seq
        WHERE s.suite = \(suite) ORDER BY r.seq DESC
        """
    case (nil, let limit?): query = "SELECT seq, record FROM evalgate_run ORDER BY seq DESC LIMIT \(limit)"
    case (nil, nil): query = "SELECT seq, record FROM evalgate_run ORDER BY seq DESC"
    }
    let rows = try await fetch(query)
    return try rows.reversed().map { try SQLiteHistoryStore.decode($0.1, position: $0.0) }
  }

  public func entries(suite: String?, limit: Int?) async throws -> [HistoryEntry] {
    let query: PostgresQuery
    switch (suite, limit) {
    case (let suite?, let limit?):
      query = """
        SELECT r.seq, r.id FROM evalgate_run r JOIN evalgate_run_suite s ON s.seq = r.seq
        WHERE s.suite = \(suite) ORDER BY r.seq DESC LIMIT \(limit)
        """
    case (let suite?, nil):
      query = """
        SELECT r.seq, r.id FROM evalgate_run r JOIN evalgate_run_suite s ON s.seq = r.seq
        WHERE s.suite = \(suite) ORDER BY r.seq DESC
        """
    case (nil, let limit?): query = "SELECT seq, id FROM evalgate_run ORDER BY seq DESC LIMIT \(limit)"
    case (nil, nil): query = "SELECT seq, id FROM evalgate_run ORDER BY seq DESC"
    }
    return try await fetch(query).reversed().map { HistoryEntry(position: $0.0, id: $0.1) }
  }

  public func storedRecord(at position: Int) async throws -> Data {
    let rows = try await fetch("SELECT seq, record FROM evalgate_run WHERE seq = \(position)")
    guard let row = rows.first else {
      throw HistoryError.corruptRecord(position: position, reason: "no run is stored there")
    }
    return Data(row.1.utf8)
  }

  public func suites(recent limit: Int) async throws -> [String] {
    do {
      var suites: [String] = []
      for try await suite in try await connection.query(
        """
        SELECT DISTINCT suite FROM evalgate_run_suite
        WHERE seq IN (SELECT seq FROM evalgate_run ORDER BY seq DESC LIMIT \(limit))
        """, logger: logger
      ).decode(String.self) {
        suites.append(suite)
      }
      return suites.sorted()
    } catch {
      throw HistoryError.database(Self.describe(error))
    }
  }

  public func record(id: String) async throws -> RunRecord? {
    let pattern = SQLiteHistoryStore.likePrefix(id)
    var rows: [(Int, String, String)] = []
    do {
      for try await row in try await connection.query(
        """
        SELECT seq, id, record FROM evalgate_run WHERE id = \(id) OR id LIKE \(pattern) ESCAPE '\\'
        ORDER BY seq LIMIT 10
        """, logger: logger
      ).decode((Int, String, String).self) {
        rows.append(row)
      }
    } catch {
      throw HistoryError.database(Self.describe(error))
    }
    if let exact = rows.first(where: { $0.1 == id }) {
      return try SQLiteHistoryStore.decode(exact.2, position: exact.0)
    }
    guard rows.count <= 1 else { throw HistoryError.ambiguousID(id, rows.map(\.1)) }
    return try rows.first.map { try SQLiteHistoryStore.decode($0.2, position: $0.0) }
  }

  public func close() async { try? await connection.close() }

  /// A store dropped without ``close()`` (its caller threw) still closes its connection; the callback keeps the
  /// connection alive until it is closed (postgres-nio asserts that a connection is closed before it goes).
  deinit {
    let connection = connection
    connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
  }

  private func fetch(_ query: PostgresQuery) async throws -> [(Int, String)] {
    do {
      var rows: [(Int, String)] = []
      for try await row in try await connection.query(query, logger: logger).decode((Int, String).self) {
        rows.append(row)
      }
      return rows
    } catch {
      throw HistoryError.database(Self.describe(error))
    }
  }

  /// Runs `body` between BEGIN and COMMIT (ROLLBACK when it throws); database errors become
  /// `HistoryError.database`.
  static func transaction<T>(
    _ connection: PostgresConnection, logger: Logger, isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
  ) async throws -> T {
    do {
      try await connection.query("BEGIN", logger: logger)
      let value: T
      do {
        value = try await body()
      } catch {
        _ = try? await connection.query("ROLLBACK", logger: logger)
        throw error
      }
      try await connection.query("COMMIT", logger: logger)
      return value
    } catch let error as HistoryError {
      throw error
    } catch {
      throw HistoryError.database(describe(error))
    }
  }

  /// The server's message (with its SQLSTATE) or the connection failure; postgres-nio's own description is
  /// deliberately generic, and its debug description carries the query's bound values.
  static func describe(_ error: any Error) -> String {
    guard let error = error as? PSQLError else { return "\(error)" }
    if let info = error.serverInfo, let message = info[.message] {
      return message + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
    }
    if let underlying = error.underlying { return "\(error.code): \(underlying)" }
    return "\(error.code)"
  }
}
