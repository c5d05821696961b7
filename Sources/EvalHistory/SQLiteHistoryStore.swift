import EvalCore
import EvalStore
import Foundation
import GRDB

/// The history in an SQLite file (`.evalgate/history.sqlite` by default), WAL mode. Appends take the write
/// lock before reading the newest hash (`BEGIN IMMEDIATE`), so runs writing at once queue and each links to
/// the one before; triggers refuse UPDATE and DELETE on stored runs.
public final class SQLiteHistoryStore: HistoryStore {
  private let pool: DatabasePool

  /// How long an append waits for another process's write lock.
  public static let busyTimeout: TimeInterval = 60

  /// Opens (creating and migrating if needed) the history at `path`.
  /// - Throws: when the file cannot be created, opened or migrated.
  public init(path: String) throws {
    pool = try SharedSQLiteFile.open(path: path, busyTimeout: Self.busyTimeout, migrator: Self.migrator)
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
    return migrator
  }

  public func append(_ draft: inout RunRecordDraft) async throws -> RunRecord {
    let slot = DraftSlot(draft)
    draft = RunRecordDraft(draft.header)  // the slot holds the only reference to the case bytes
    defer { draft = slot.take() }
    let sealed: RunRecord = try await pool.writeWithoutTransaction { db in
      var sealed = slot.header
      try db.inTransaction(.immediate) {
        if let stored = try Data.fetchOne(
          db, sql: "SELECT CAST(record AS BLOB) FROM run WHERE id = ?", arguments: [sealed.id])
        {
          sealed = try Self.header(stored, position: 0)
          return .commit
        }
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM run ORDER BY seq DESC LIMIT 1") ?? ""
        sealed = try slot.seal(after: previous) { sealed, text in
          try db.execute(
            sql: "INSERT INTO run (id, kind, started_at, record, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
              sealed.id, sealed.kind.rawValue, AuditChain.encodedDate(sealed.startedAt), text, previous,
              sealed.audit.hash,
            ])
          let seq = db.lastInsertedRowID
          for suite in Set(sealed.suites) {
            try db.execute(sql: "INSERT INTO run_suite (seq, suite) VALUES (?, ?)", arguments: [seq, suite])
          }
          return sealed
        }
        return .commit
      }
      return sealed
    }
    slot.committed()
    return sealed
  }

  public func records(suite: String?, limit: Int?) async throws -> [RunRecord] {
    let rows: [(Int, String)] = try await pool.read { db in
      let found: [Row]
      if let suite {
        found = try Row.fetchAll(
          db,
          sql: """
            SELECT run.seq, run.record FROM run JOIN run_suite ON run_suite.seq = run.seq
            WHERE run_suite.suite = ? ORDER BY run.seq DESC LIMIT ?
            """, arguments: [suite, limit ?? -1])
      } else {
        found = try Row.fetchAll(
          db, sql: "SELECT seq, record FROM run ORDER BY seq DESC LIMIT ?", arguments: [limit ?? -1])
      }
      return found.map { ($0["seq"], $0["record"]) }
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

  public func storedRecord(at position: Int) async throws -> Data {
    // The text's bytes, not a String: one copy of a large record fewer.
    let bytes = try await pool.read { db in
      try Data.fetchOne(db, sql: "SELECT CAST(record AS BLOB) FROM run WHERE seq = ?", arguments: [position])
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
    let pattern = Self.likePrefix(id)
    let rows: [(Int, String, String)] = try await pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT seq, id, record FROM run WHERE id = ? OR id LIKE ? ESCAPE '\\' ORDER BY seq LIMIT 10",
        arguments: [id, pattern]
      ).map { ($0["seq"], $0["id"], $0["record"]) }
    }
    if let exact = rows.first(where: { $0.1 == id }) { return try Self.decode(exact.2, position: exact.0) }
    guard rows.count <= 1 else { throw HistoryError.ambiguousID(id, rows.map(\.1)) }
    return try rows.first.map { try Self.decode($0.2, position: $0.0) }
  }

  public func close() async { try? pool.close() }

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
