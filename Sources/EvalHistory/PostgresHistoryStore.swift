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
/// new database at once do not race. A record whose cases' JSON is over `SQLiteHistoryStore.chunkBytes` is kept
/// as its header in `evalgate_run.record` and its cases in chunks in `evalgate_run_chunk`, as in SQLite; each
/// run's trend point per suite in `evalgate_run_point` (``StoredPoint``), written with the run.
public actor PostgresHistoryStore: HistoryStore {
  private let connection: PostgresConnection
  private let logger: Logger
  /// The largest chunk of a record's cases.
  let chunkBytes: Int
  /// Whether records may keep their cases in `evalgate_run_chunk`: the table is there (a role that may not
  /// create it, on a database no owner has opened since, stores every record whole, as before) and this role
  /// may read it and insert into it (a CI role granted only the first version's tables goes on as before).
  private let chunks: Bool
  /// Whether runs' trend points are kept in and read from `evalgate_run_point`: the table is there and this role
  /// may read it and insert into it (else every run's point is computed from its record, as before the table).
  private let points: Bool

  /// The advisory lock key migrations hold ("evalgate" as a big-endian 64-bit integer).
  static let migrationLock: Int64 = 7_311_138_163_301_381_221
  /// The advisory lock key appends hold, from reading the newest hash to committing.
  static let appendLock: Int64 = migrationLock + 1

  /// Connects to `url` and migrates the schema.
  /// - Throws: `HistoryError.database` when the server cannot be reached, refuses the login or a migration.
  public init(url: PostgresURL) async throws {
    try await self.init(url: url, chunkBytes: SQLiteHistoryStore.chunkBytes)
  }

  /// Connects to `url`, storing cases in chunks of at most `chunkBytes` (smaller in tests).
  init(url: PostgresURL, chunkBytes: Int) async throws {
    precondition(chunkBytes > 0)
    self.chunkBytes = chunkBytes
    logger = Logger(label: "evalgate.history.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    let configuration = try url.configuration()
    do {
      connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
    } catch {
      throw HistoryError.database(
        "cannot connect to \(url.host):\(url.port) as \(url.user): \(Self.describe(error))")
    }
    do {
      let version = try await Self.migrate(connection, logger: logger)
      chunks = version >= 2 ? try await Self.mayReadAndInsert("evalgate_run_chunk", connection, logger: logger) : false
      points = version >= 3 ? try await Self.mayReadAndInsert("evalgate_run_point", connection, logger: logger) : false
    } catch let error as HistoryError {
      try? await connection.close()
      throw error
    } catch {
      try? await connection.close()
      throw HistoryError.database(Self.describe(error))
    }
  }

  /// Whether this role may SELECT from and INSERT into `table` (which is there).
  private static func mayReadAndInsert(
    _ table: String, _ connection: PostgresConnection, logger: Logger
  ) async throws -> Bool {
    var granted = false
    for try await both in try await connection.query(
      "SELECT has_table_privilege(\(table), 'SELECT') AND has_table_privilege(\(table), 'INSERT')", logger: logger
    ).decode(Bool.self) {
      granted = both
    }
    return granted
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
    ],
    [
      """
      CREATE TABLE evalgate_run_chunk (
        seq BIGINT NOT NULL REFERENCES evalgate_run(seq),
        n INTEGER NOT NULL,
        bytes BYTEA NOT NULL,
        PRIMARY KEY (seq, n)
      )
      """,
      """
      CREATE TRIGGER evalgate_run_chunk_append_only BEFORE UPDATE OR DELETE ON evalgate_run_chunk
      FOR EACH ROW EXECUTE FUNCTION evalgate_append_only()
      """,
      """
      CREATE TRIGGER evalgate_run_chunk_no_truncate BEFORE TRUNCATE ON evalgate_run_chunk
      FOR EACH STATEMENT EXECUTE FUNCTION evalgate_append_only()
      """,
    ],
    [
      // Not back-filled: runs stored before have their points computed from their records (see SQLite's v3).
      """
      CREATE TABLE evalgate_run_point (
        seq BIGINT NOT NULL REFERENCES evalgate_run(seq),
        id TEXT NOT NULL,
        suite TEXT NOT NULL,
        started_at TEXT NOT NULL,
        pass_rate DOUBLE PRECISION,
        mean_score DOUBLE PRECISION,
        latency_p50_ms DOUBLE PRECISION,
        latency_p95_ms DOUBLE PRECISION,
        PRIMARY KEY (suite, seq)
      )
      """,
      """
      CREATE TRIGGER evalgate_run_point_append_only BEFORE UPDATE OR DELETE ON evalgate_run_point
      FOR EACH ROW EXECUTE FUNCTION evalgate_append_only()
      """,
      """
      CREATE TRIGGER evalgate_run_point_no_truncate BEFORE TRUNCATE ON evalgate_run_point
      FOR EACH STATEMENT EXECUTE FUNCTION evalgate_append_only()
      """,
    ],
  ]

  /// Applies the migrations not yet applied, in one transaction under the advisory lock, and returns the
  /// schema's version. A migration after the first that this role may not apply (SQLSTATE 42501: no CREATE on
  /// the schema, not the tables' owner) is left for one that may; the store works without it.
  static func migrate(_ connection: PostgresConnection, logger: Logger) async throws -> Int {
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
        let optional = index > 0
        if optional { try await connection.query("SAVEPOINT evalgate_migration", logger: logger) }
        do {
          for statement in statements {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
          }
          try await connection.query("INSERT INTO evalgate_schema (version) VALUES (\(index + 1))", logger: logger)
        } catch  where optional && (error as? PSQLError)?.serverInfo?[.sqlState] == "42501" {
          try await connection.query("ROLLBACK TO SAVEPOINT evalgate_migration", logger: logger)
          break
        }
        applied = index + 1
      }
      return applied
    }
  }

  public func append(_ draft: inout RunRecordDraft) async throws -> RunRecord {
    let kept = points ? draft.suitePoints().filter { StoredPoint.isKept($0.point) } : []
    let unsealed = draft  // shares the draft's case bytes (read, never written, here)
    let (sealed, appended) = try await Self.transaction(connection, logger: logger) {
      try await insert(unsealed, points: kept)
    }
    // Committed: the draft carries its chain fields (a draft whose write failed is spooled as it was).
    if appended { draft.header = sealed }
    return sealed
  }

  private func insert(
    _ draft: RunRecordDraft, points: [(suite: String, point: SuiteTrend.Point)]
  ) async throws -> (RunRecord, Bool) {
    try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLock))", logger: logger)
    for try await (seq, stored) in try await connection.query(
      "SELECT seq, record FROM evalgate_run WHERE id = \(draft.header.id)", logger: logger
    ).decode((Int, String).self) {
      return (try SQLiteHistoryStore.header(Data(stored.utf8), position: seq), false)
    }
    var previous = ""
    for try await hash in try await connection.query(
      "SELECT hash FROM evalgate_run ORDER BY seq DESC LIMIT 1", logger: logger
    ).decode(String.self) {
      previous = hash
    }
    let sealed = try draft.sealed(after: previous)
    let chunked = chunks && draft.caseBytes > chunkBytes
    let text =
      chunked ? try AuditChain.encodedText(sealed) : String(decoding: try draft.encoded(as: sealed), as: UTF8.self)
    var seq = 0
    for try await inserted in try await connection.query(
      """
      INSERT INTO evalgate_run (id, kind, started_at, record, previous_hash, hash)
      VALUES (\(sealed.id), \(sealed.kind.rawValue), \(sealed.startedAt), \(text), \(previous), \(sealed.audit.hash))
      RETURNING seq
      """, logger: logger
    ).decode(Int.self) {
      seq = inserted
    }
    if chunked {
      // Each chunk read from the draft and sent before the next is read.
      var offset = 0
      var n = 0
      while offset < draft.caseBytes {
        let piece = try draft.casePiece(at: offset, maxBytes: chunkBytes)
        try await connection.query(
          "INSERT INTO evalgate_run_chunk (seq, n, bytes) VALUES (\(seq), \(n), \(piece))", logger: logger)
        offset += piece.count
        n += 1
      }
    }
    for suite in Set(sealed.suites).sorted() {
      try await connection.query(
        "INSERT INTO evalgate_run_suite (seq, suite) VALUES (\(seq), \(suite))", logger: logger)
    }
    let startedAt = AuditChain.encodedDate(sealed.startedAt)
    for (suite, point) in points {
      try await connection.query(
        """
        INSERT INTO evalgate_run_point
          (seq, id, suite, started_at, pass_rate, mean_score, latency_p50_ms, latency_p95_ms)
        VALUES (\(seq), \(sealed.id), \(suite), \(startedAt), \(point.passRate), \(point.meanScore),
          \(point.latencyP50Ms), \(point.latencyP95Ms))
        """, logger: logger)
    }
    return (sealed, true)
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
    var records: [RunRecord] = []
    for (seq, record) in try await fetch(query).reversed() {
      records.append(try SQLiteHistoryStore.decode(try await text(seq: seq, record: record), position: seq))
    }
    return records
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

  public func storedPoints(suite: String, limit: Int) async throws -> [(
    entry: HistoryEntry, point: SuiteTrend.Point?
  )] {
    guard points else { return try await entries(suite: suite, limit: limit).map { ($0, nil) } }
    do {
      var rows: [(entry: HistoryEntry, point: SuiteTrend.Point?)] = []
      for try await (seq, id, pointID, startedAt, passRate, meanScore, p50, p95) in try await connection.query(
        """
        SELECT r.seq, r.id, p.id, p.started_at, p.pass_rate, p.mean_score, p.latency_p50_ms, p.latency_p95_ms
        FROM evalgate_run r JOIN evalgate_run_suite s ON s.seq = r.seq
        LEFT JOIN evalgate_run_point p ON p.suite = s.suite AND p.seq = r.seq
        WHERE s.suite = \(suite) ORDER BY r.seq DESC LIMIT \(limit)
        """, logger: logger
      ).decode((Int, String, String?, String?, Double?, Double?, Double?, Double?).self) {
        let entry = HistoryEntry(position: seq, id: id)
        guard let pointID, let startedAt else {
          rows.append((entry, nil))
          continue
        }
        rows.append(
          (
            entry,
            StoredPoint.point(
              runID: pointID, startedAt: startedAt, passRate: passRate, meanScore: meanScore, latencyP50Ms: p50,
              latencyP95Ms: p95)
          ))
      }
      return rows.reversed()
    } catch {
      throw HistoryError.database(Self.describe(error))
    }
  }

  public func storedRecord(at position: Int) async throws -> Data {
    let rows = try await fetch("SELECT seq, record FROM evalgate_run WHERE seq = \(position)")
    guard let row = rows.first else {
      throw HistoryError.corruptRecord(position: position, reason: "no run is stored there")
    }
    return try await text(seq: row.0, record: row.1)
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
    guard let found = try await entry(id: id) else { return nil }
    return try SQLiteHistoryStore.decode(try await storedRecord(at: found.position), position: found.position)
  }

  public func entry(id: String) async throws -> HistoryEntry? {
    let pattern = SQLiteHistoryStore.likePrefix(id)
    let rows = try await fetch(
      """
      SELECT seq, id FROM evalgate_run WHERE id = \(id) OR id LIKE \(pattern) ESCAPE '\\'
      ORDER BY seq LIMIT 10
      """)
    return try SQLiteHistoryStore.match(id, among: rows.map { HistoryEntry(position: $0.0, id: $0.1) })
  }

  public func storedRow(at position: Int) async throws -> StoredRecord {
    let rows = try await fetch("SELECT seq, record FROM evalgate_run WHERE seq = \(position)")
    guard let row = rows.first else {
      throw HistoryError.corruptRecord(position: position, reason: "no run is stored there")
    }
    let header = Data(row.1.utf8)
    guard chunks else {
      try Self.refuseUnreadableChunks(header)
      return StoredRecord(position: position, text: header, chunked: false)
    }
    var chunked = false
    do {
      for try await found in try await connection.query(
        "SELECT EXISTS (SELECT 1 FROM evalgate_run_chunk WHERE seq = \(position))", logger: logger
      ).decode(Bool.self) {
        chunked = found
      }
    } catch {
      throw HistoryError.database(Self.describe(error))
    }
    return StoredRecord(position: position, text: header, chunked: chunked)
  }

  public func caseChunk(at position: Int, after n: Int) async throws -> (n: Int, bytes: Data)? {
    guard chunks else { return nil }
    do {
      var found: (n: Int, bytes: Data)?
      for try await (number, bytes) in try await connection.query(
        """
        SELECT n::BIGINT, bytes FROM evalgate_run_chunk WHERE seq = \(position) AND n > \(n) ORDER BY n LIMIT 1
        """, logger: logger
      ).decode((Int, Data).self) {
        found = (number, bytes)
      }
      return found
    } catch {
      throw HistoryError.database(Self.describe(error))
    }
  }

  /// Without the chunk table (or the right to read it) a record can only be whole, unless its case list is
  /// empty and the cases it was hashed with are missing: then they are in the chunk table, and reading it
  /// without them is refused, naming the grant.
  /// - Throws: `HistoryError.database` then.
  static func refuseUnreadableChunks(_ header: Data) throws {
    if let list = try? RunRecordReader.caseList(in: header), list.count == 2,
      let stored = try? AuditChain.decoder.decode(RunRecord.self, from: header),
      let digest = try? RunRecordDraft(stored).sealed(after: stored.audit.previousHash).audit.hash,
      digest != stored.audit.hash
    {
      throw HistoryError.database(
        "run \(stored.id) keeps its cases in evalgate_run_chunk, which this role cannot read "
          + "(GRANT SELECT, INSERT ON evalgate_run_chunk)")
    }
  }

  /// The whole text of the run at `seq` whose `record` column is `record`: as stored, or, when its cases are
  /// in chunks, the header's empty case list filled with them (each chunk appended as it arrives).
  private func text(seq: Int, record: String) async throws -> Data {
    let header = Data(record.utf8)
    guard chunks else {
      try Self.refuseUnreadableChunks(header)
      return header
    }
    var text: Data?
    var list = 0..<0
    do {
      for try await chunk in try await connection.query(
        "SELECT bytes FROM evalgate_run_chunk WHERE seq = \(seq) ORDER BY n", logger: logger
      ).decode(Data.self) {
        if text == nil {
          list = try SQLiteHistoryStore.emptyCaseList(header, position: seq)
          text = header[..<(list.lowerBound + 1)]
        }
        text?.append(chunk)
      }
    } catch let error as HistoryError {
      throw error
    } catch {
      throw HistoryError.database(Self.describe(error))
    }
    guard var text else { return header }
    text.append(header[(list.upperBound - 1)...])
    return text
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
