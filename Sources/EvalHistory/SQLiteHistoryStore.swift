import EvalCore
import EvalStore
import Foundation
import GRDB

/// The history in an SQLite file (`.evalgate/history.sqlite` by default), WAL mode. Appends take the write
/// lock before reading the newest hash (`BEGIN IMMEDIATE`), so runs writing at once queue and each links to
/// the one before; triggers refuse UPDATE and DELETE on stored runs. A record whose cases' JSON is over
/// ``chunkBytes`` is kept as its header in `run.record` (its case list empty) and its cases' JSON in chunks of
/// at most that size in `run_chunk`, written one at a time from the draft; readers put the text back together,
/// so its hash covers the same bytes as a record stored whole (as every record was before `v2`). Each run's
/// trend point per suite is kept in `run_point` (from `v3`; ``StoredPoint``), written with the run.
public final class SQLiteHistoryStore: HistoryStore {
  private let pool: DatabasePool
  /// The largest chunk of a record's cases (and the most a record's cases may be to be stored whole).
  let chunkBytes: Int

  /// The largest chunk a record's cases are stored in.
  public static let chunkBytes = 1 << 20

  /// How long an append waits for another process's write lock.
  public static let busyTimeout: TimeInterval = 60

  /// Opens (creating and migrating if needed) the history at `path`.
  /// - Throws: when the file cannot be created, opened or migrated.
  public convenience init(path: String) throws { try self.init(path: path, chunkBytes: Self.chunkBytes) }

  /// Opens the history at `path`, storing cases in chunks of at most `chunkBytes` (smaller in tests).
  init(path: String, chunkBytes: Int) throws {
    precondition(chunkBytes > 0)
    pool = try SharedSQLiteFile.open(path: path, busyTimeout: Self.busyTimeout, migrator: Self.migrator)
    self.chunkBytes = chunkBytes
    // The run before this one left its record in the log (`emptyLog`); for `run`, the history is opened
    // while the calls are in flight, so this is off the run's end.
    Self.emptyLog(pool)
  }

  /// The log size past which an append empties the log: SQLite's own checkpoint at commit (1,000 pages of 4 KB)
  /// has then just copied it, so emptying it is a truncation.
  static let logLimit = 4_096_000

  /// The write-ahead log's size in bytes (0 when there is none). One `stat`: FileManager's attributes also look
  /// up the owner's user and group names, at the end of every run that records itself.
  var logBytes: Int {
    var info = stat()
    return stat(pool.path + "-wal", &info) == 0 ? Int(info.st_size) : 0
  }

  /// Moves the write-ahead log's pages into the database and empties the log (`PRAGMA
  /// wal_checkpoint(TRUNCATE)`) when no other process is reading or writing the history at that moment; it
  /// never waits for one (a log left is emptied when the history is opened next).
  ///
  /// SQLite empties the log itself only when the last connection to close can write, and a pool closes its
  /// writer before its read-only readers (GRDB's `DatabasePool.close`). A process that opens the file after
  /// rebuilds the log's index as if none of it were in the database yet, so the log never started over: it
  /// grew by each run's record (about 100 KB a run at 1,000 cases, 10 MB at 100,000) and each commit that
  /// checkpointed copied all of it into the database again (0.71 s for an append to a 670 MB log, against
  /// 0.10–0.19 s to an empty one: docs/benchmarks.md, sessions 18 and 19).
  static func emptyLog(_ pool: DatabasePool) {
    try? pool.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA busy_timeout = 0")
      defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Int(busyTimeout * 1_000))") }
      _ = try? db.checkpoint(.truncate)
    }
  }

  /// The schema, one migration per version.
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE run (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            started_at TEXT NOT NULL,
            record TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
          );
          CREATE TABLE run_suite (
            seq INTEGER NOT NULL REFERENCES run(seq),
            suite TEXT NOT NULL,
            PRIMARY KEY (suite, seq)
          );
          CREATE TRIGGER run_no_update BEFORE UPDATE ON run BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
          CREATE TRIGGER run_no_delete BEFORE DELETE ON run BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
          """)
    }
    migrator.registerMigration("v2") { db in
      // A large record's cases, in order (`n` from 0); a run with no chunk has its whole text in `run.record`.
      try db.execute(
        sql: """
          CREATE TABLE run_chunk (
            seq INTEGER NOT NULL REFERENCES run(seq),
            n INTEGER NOT NULL,
            bytes BLOB NOT NULL,
            PRIMARY KEY (seq, n)
          );
          CREATE TRIGGER run_chunk_no_update BEFORE UPDATE ON run_chunk
            BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
          CREATE TRIGGER run_chunk_no_delete BEFORE DELETE ON run_chunk
            BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
          """)
    }
    migrator.registerMigration("v3") { db in
      // Each run's trend point per suite (``StoredPoint``), derived from its record as it was appended; runs
      // stored before have none (their points are computed from their records: not back-filled here, which
      // would parse every record ever stored while a run waits to open the history).
      try db.execute(
        sql: """
          CREATE TABLE run_point (
            seq INTEGER NOT NULL REFERENCES run(seq),
            id TEXT NOT NULL,
            suite TEXT NOT NULL,
            started_at TEXT NOT NULL,
            pass_rate REAL,
            mean_score REAL,
            latency_p50_ms REAL,
            latency_p95_ms REAL,
            PRIMARY KEY (suite, seq)
          );
          CREATE TRIGGER run_point_no_update BEFORE UPDATE ON run_point
            BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
          CREATE TRIGGER run_point_no_delete BEFORE DELETE ON run_point
            BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
          """)
    }
    return migrator
  }

  public func append(_ draft: inout RunRecordDraft) async throws -> RunRecord {
    let points = draft.suitePoints().filter { StoredPoint.isKept($0.point) }
    let unsealed = draft  // shares the draft's case bytes (read, never written, here)
    let chunkBytes = chunkBytes
    let (sealed, appended): (RunRecord, Bool) = try await pool.writeWithoutTransaction { db in
      var result = (unsealed.header, false)
      try db.inTransaction(.immediate) {
        if let stored = try Data.fetchOne(
          db, sql: "SELECT CAST(record AS BLOB) FROM run WHERE id = ?", arguments: [unsealed.header.id])
        {
          result = (try Self.header(stored, position: 0), false)
          return .commit
        }
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM run ORDER BY seq DESC LIMIT 1") ?? ""
        let sealed = try unsealed.sealed(after: previous)
        let chunked = unsealed.caseBytes > chunkBytes
        let text =
          chunked
          ? try AuditChain.encodedText(sealed) : String(decoding: try unsealed.encoded(as: sealed), as: UTF8.self)
        try db.execute(
          sql: "INSERT INTO run (id, kind, started_at, record, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
          arguments: [
            sealed.id, sealed.kind.rawValue, AuditChain.encodedDate(sealed.startedAt), text, previous,
            sealed.audit.hash,
          ])
        let seq = db.lastInsertedRowID
        if chunked {
          var n = 0
          try unsealed.forEachCasePiece(maxBytes: chunkBytes) { piece in
            try db.execute(
              sql: "INSERT INTO run_chunk (seq, n, bytes) VALUES (?, ?, ?)", arguments: [seq, n, Data(piece)])
            n += 1
          }
        }
        for suite in Set(sealed.suites) {
          try db.execute(sql: "INSERT INTO run_suite (seq, suite) VALUES (?, ?)", arguments: [seq, suite])
        }
        let startedAt = AuditChain.encodedDate(sealed.startedAt)
        for (suite, point) in points {
          try db.execute(
            sql: """
              INSERT INTO run_point (seq, id, suite, started_at, pass_rate, mean_score, latency_p50_ms, latency_p95_ms)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?)
              """,
            arguments: [
              seq, sealed.id, suite, startedAt, point.passRate, point.meanScore, point.latencyP50Ms,
              point.latencyP95Ms,
            ])
        }
        result = (sealed, true)
        return .commit
      }
      return result
    }
    // Committed: the draft carries its chain fields (a draft whose write failed is spooled as it was).
    if appended { draft.header = sealed }
    // A record in chunks is at least a megabyte of log: its commit's own checkpoint has already copied it
    // when it was over SQLite's 1,000 pages, and the log is emptied now rather than copied again at the next
    // open; a smaller one is left for the next open (at the end of a run, on its critical path, it would cost
    // a copy and two `fsync`s), unless the log is past those 1,000 pages: runs that always overlap others (whose
    // reads make the open's emptying give up) would otherwise let it grow by their records.
    if appended && (unsealed.caseBytes > chunkBytes || logBytes > Self.logLimit) { Self.emptyLog(pool) }
    return sealed
  }

  public func records(suite: String?, limit: Int?) async throws -> [RunRecord] {
    let rows: [(Int, Data)] = try await pool.read { db in
      let found: [Row]
      if let suite {
        found = try Row.fetchAll(
          db,
          sql: """
            SELECT run.seq, CAST(run.record AS BLOB) AS record FROM run JOIN run_suite ON run_suite.seq = run.seq
            WHERE run_suite.suite = ? ORDER BY run.seq DESC LIMIT ?
            """, arguments: [suite, limit ?? -1])
      } else {
        found = try Row.fetchAll(
          db, sql: "SELECT seq, CAST(record AS BLOB) AS record FROM run ORDER BY seq DESC LIMIT ?",
          arguments: [limit ?? -1])
      }
      return try found.map { row in
        let seq: Int = row["seq"]
        return (seq, try Self.text(db, seq: seq, record: row["record"]))
      }
    }
    return try rows.reversed().map { try Self.decode($0.1, position: $0.0) }
  }

  public func entries(suite: String?, limit: Int?) async throws -> [HistoryEntry] {
    let rows: [HistoryEntry] = try await pool.read { db in
      let found: [Row]
      if let suite {
        found = try Row.fetchAll(
          db,
          sql: """
            SELECT run.seq, run.id FROM run JOIN run_suite ON run_suite.seq = run.seq
            WHERE run_suite.suite = ? ORDER BY run.seq DESC LIMIT ?
            """, arguments: [suite, limit ?? -1])
      } else {
        found = try Row.fetchAll(db, sql: "SELECT seq, id FROM run ORDER BY seq DESC LIMIT ?", arguments: [limit ?? -1])
      }
      return found.map { HistoryEntry(position: $0["seq"], id: $0["id"]) }
    }
    return rows.reversed()
  }

  public func storedPoints(suite: String, limit: Int) async throws -> [(
    entry: HistoryEntry, point: SuiteTrend.Point?
  )] {
    let rows: [(entry: HistoryEntry, point: SuiteTrend.Point?)] = try await pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT run.seq, run.id, p.id AS point_id, p.started_at, p.pass_rate, p.mean_score, p.latency_p50_ms,
            p.latency_p95_ms
          FROM run JOIN run_suite ON run_suite.seq = run.seq
          LEFT JOIN run_point p ON p.suite = run_suite.suite AND p.seq = run.seq
          WHERE run_suite.suite = ? ORDER BY run.seq DESC LIMIT ?
          """, arguments: [suite, limit]
      ).map { row in
        let entry = HistoryEntry(position: row["seq"], id: row["id"])
        guard let id: String = row["point_id"], let startedAt: String = row["started_at"] else { return (entry, nil) }
        return (
          entry,
          StoredPoint.point(
            runID: id, startedAt: startedAt, passRate: row["pass_rate"], meanScore: row["mean_score"],
            latencyP50Ms: row["latency_p50_ms"], latencyP95Ms: row["latency_p95_ms"])
        )
      }
    }
    return rows.reversed()
  }

  public func storedRecord(at position: Int) async throws -> Data {
    // The text's bytes, not a String: one copy of a large record fewer.
    let bytes = try await pool.read { db -> Data? in
      guard
        let record = try Data.fetchOne(
          db, sql: "SELECT CAST(record AS BLOB) FROM run WHERE seq = ?", arguments: [position])
      else { return nil }
      return try Self.text(db, seq: position, record: record)
    }
    guard let bytes else { throw HistoryError.corruptRecord(position: position, reason: "no run is stored there") }
    return bytes
  }

  public func suites(recent limit: Int) async throws -> [String] {
    try await pool.read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT DISTINCT suite FROM run_suite WHERE seq IN (SELECT seq FROM run ORDER BY seq DESC LIMIT ?)
          """, arguments: [limit])
    }.sorted()
  }

  public func record(id: String) async throws -> RunRecord? {
    guard let found = try await entry(id: id) else { return nil }
    return try Self.decode(try await storedRecord(at: found.position), position: found.position)
  }

  public func entry(id: String) async throws -> HistoryEntry? {
    let pattern = Self.likePrefix(id)
    let rows: [HistoryEntry] = try await pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT seq, id FROM run WHERE id = ? OR id LIKE ? ESCAPE '\\' ORDER BY seq LIMIT 10",
        arguments: [id, pattern]
      ).map { HistoryEntry(position: $0["seq"], id: $0["id"]) }
    }
    return try Self.match(id, among: rows)
  }

  public func storedRow(at position: Int) async throws -> StoredRecord {
    let row = try await pool.read { db -> StoredRecord? in
      guard
        let record = try Data.fetchOne(
          db, sql: "SELECT CAST(record AS BLOB) FROM run WHERE seq = ?", arguments: [position])
      else { return nil }
      let chunked =
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run_chunk WHERE seq = ?)", arguments: [position])
        ?? false
      return StoredRecord(position: position, text: record, chunked: chunked)
    }
    guard let row else { throw HistoryError.corruptRecord(position: position, reason: "no run is stored there") }
    return row
  }

  public func caseChunk(at position: Int, after n: Int) async throws -> (n: Int, bytes: Data)? {
    let buffer = ChunkBuffer()
    guard let next = try await caseChunk(at: position, after: n, into: buffer) else { return nil }
    return (next, buffer.bytes)
  }

  public func caseChunk(at position: Int, after n: Int, into buffer: ChunkBuffer) async throws -> Int? {
    try await pool.read { db -> Int? in
      let rows = try Row.fetchCursor(
        db, sql: "SELECT n, bytes FROM run_chunk WHERE seq = ? AND n > ? ORDER BY n LIMIT 1", arguments: [position, n])
      guard let row = try rows.next() else { return nil }
      buffer.bytes.removeAll(keepingCapacity: true)
      // SQLite's own copy of the blob, copied once into the buffer's storage.
      try row.withUnsafeData(atIndex: 1) { blob in if let blob { buffer.bytes.append(blob) } }
      return row[0]
    }
  }

  /// The entry whose id is `id`, else the one whose id starts with it when that is unique (`rows`: those that
  /// are one or the other).
  /// - Throws: `HistoryError.ambiguousID` when several start with it and none is it.
  static func match(_ id: String, among rows: [HistoryEntry]) throws -> HistoryEntry? {
    if let exact = rows.first(where: { $0.id == id }) { return exact }
    guard rows.count <= 1 else { throw HistoryError.ambiguousID(id, rows.map(\.id)) }
    return rows.first
  }

  public func close() async { try? pool.close() }

  /// The whole text of the run at `seq` whose `run.record` is `record`: as stored, or, when its cases are in
  /// chunks, the header's empty case list filled with them.
  static func text(_ db: Database, seq: Int, record: Data) throws -> Data {
    guard
      let total = try Int.fetchOne(
        db, sql: "SELECT sum(length(bytes)) FROM run_chunk WHERE seq = ?", arguments: [seq])
    else { return record }
    let list = try emptyCaseList(record, position: seq)
    let base = record.startIndex
    var text = Data(capacity: record.count + total)
    text.append(record[base..<base + list.lowerBound + 1])
    let chunks = try Data.fetchCursor(db, sql: "SELECT bytes FROM run_chunk WHERE seq = ? ORDER BY n", arguments: [seq])
    while let chunk = try chunks.next() { text.append(chunk) }
    text.append(record[(base + list.upperBound - 1)...])
    return text
  }

  /// Where the cases go in the header of a record stored in chunks (its case list, `[]`).
  /// - Throws: `HistoryError.corruptRecord` when the header has no empty case list.
  static func emptyCaseList(_ header: Data, position: Int) throws -> Range<Int> {
    let list: Range<Int>
    do {
      list = try RunRecordReader.caseList(in: header)
    } catch {
      throw HistoryError.corruptRecord(position: position, reason: "\(error)")
    }
    guard list.count == 2 else {
      throw HistoryError.corruptRecord(position: position, reason: "a record stored in chunks has cases in its header")
    }
    return list
  }

  /// A stored record's header (its cases checked, not kept).
  static func header(_ bytes: Data, position: Int) throws -> RunRecord {
    do {
      return try RunRecordReader(bytes).header
    } catch {
      throw HistoryError.corruptRecord(position: position, reason: "\(error)")
    }
  }

  static func decode(_ text: String, position: Int) throws -> RunRecord {
    try decode(Data(text.utf8), position: position)
  }

  static func decode(_ bytes: Data, position: Int) throws -> RunRecord {
    do {
      return try AuditChain.decoder.decode(RunRecord.self, from: bytes)
    } catch {
      throw HistoryError.corruptRecord(position: position, reason: "\(error)")
    }
  }

  static func likePrefix(_ id: String) -> String {
    id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
      .replacingOccurrences(of: "_", with: "\\_") + "%"
  }
}
