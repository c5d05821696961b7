import EvalCore
import EvalHistory
import Foundation
import GRDB
import Testing

struct HistoryRecorderTests {
  @Test(arguments: HistoryBackend.available)
  func anUnreachableStoreSpoolsAndTheNextRunFlushesInOrder(_ backend: HistoryBackend) async throws {
    let dir = try HistoryTestSupport.scratch()
    // SQLite: a regular file where the store's folder should be. PostgreSQL: nothing listens on port 1.
    _ = FileManager.default.createFile(atPath: dir + "/blocked", contents: Data("x".utf8))
    let unreachable: HistoryLocation =
      switch backend {
      case .sqlite: .sqlite(path: dir + "/blocked/history.sqlite")
      case .postgres: .postgres(url: "postgres://evalgate:hunter2@127.0.0.1:1/history")
      }
    let spool = HistorySpool(directory: dir + "/spool")
    let down = HistoryRecorder(location: unreachable, spool: spool)
    let first = await down.append(HistoryTestSupport.record("20261202T100000Z-000001"))
    let second = await down.append(HistoryTestSupport.record("20261202T110000Z-000002"))
    #expect(first.stored == nil)
    #expect(second.stored == nil)
    #expect(first.warnings.count == 1)
    #expect(first.warnings[0].hasPrefix("warning: history: the history at \(unreachable) cannot be opened"))
    #expect(first.warnings[0].contains("kept in \(dir)/spool"))
    #expect(!first.warnings[0].contains("hunter2"))
    #expect(spool.pending.count == 2)

    let fixture = try await backend.makeFixture()
    let up = HistoryRecorder(location: fixture.location, spool: spool)
    let third = await up.append(HistoryTestSupport.record("20261202T120000Z-000003"))
    #expect(third.warnings.isEmpty)
    #expect(third.flushed == 2)
    #expect(spool.pending.isEmpty)
    #expect(
      third.drift["s"]?.runs == [
        "20261202T100000Z-000001", "20261202T110000Z-000002", "20261202T120000Z-000003",
      ])
    let store = try await fixture.open()
    #expect(AuditChain.verify(try await store.records(suite: nil, limit: nil)) == nil)
    await store.close()
  }

  /// A run opens its history once: the store opened for the trend charts is the one appended to, and a failure
  /// to open it is reported and spooled without a second try (a database that is down costs one timeout).
  @Test func aStoreOpenedEarlierInTheRunIsUsedAndAFailureIsNotRetried() async throws {
    let dir = try HistoryTestSupport.scratch()
    let spool = HistorySpool(directory: dir + "/spool")
    let recorder = HistoryRecorder(location: .sqlite(path: dir + "/history.sqlite"), spool: spool)
    let failed = await recorder.append(
      HistoryTestSupport.record("r1"), opened: .failure(HistoryError.database("connection refused")))
    #expect(failed.stored == nil)
    #expect(failed.warnings.first?.contains("cannot be opened (connection refused)") == true)
    #expect(!FileManager.default.fileExists(atPath: dir + "/history.sqlite"))
    #expect(spool.pending.count == 1)
    let other = try SQLiteHistoryStore(path: dir + "/other.sqlite")
    let stored = await recorder.append(HistoryTestSupport.record("r2"), opened: .success(other))
    #expect(stored.flushed == 1)
    #expect(stored.stored?.id == "r2")
    #expect(stored.drift.isEmpty)  // two runs: too few to test for drift, so not read back
    #expect(!FileManager.default.fileExists(atPath: dir + "/history.sqlite"))
    let reopened = try SQLiteHistoryStore(path: dir + "/other.sqlite")
    #expect(try await reopened.records(suite: nil, limit: nil).map(\.id) == ["r1", "r2"])
    await reopened.close()
  }

  /// The draft's case bytes become the stored text; when the insert fails, they come back and the record is
  /// spooled whole, unsealed, and the next run stores it.
  @Test func aFailedInsertSpoolsTheWholeRecord() async throws {
    let (dir, path, database) = try await Self.history(
      altered: "CREATE TRIGGER refuse BEFORE INSERT ON run BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    let spool = HistorySpool(directory: dir + "/spool")
    let record = HistoryTestSupport.record("r1", cases: 5_000) { $0 % 7 != 0 }
    let recorder = HistoryRecorder(location: .sqlite(path: path), spool: spool)
    let failed = await recorder.append(record)
    #expect(failed.stored == nil)
    #expect(failed.warnings.first?.contains("could not be written") == true)
    #expect(failed.warnings.first?.contains("disk says no") == true)
    #expect(spool.pending == ["r1.json"])
    let kept = try Data(contentsOf: URL(fileURLWithPath: dir + "/spool/r1.json"))
    #expect(kept == (try AuditChain.encoder.encode(record)))

    try await Self.expectTheNextRunStores(record, after: recorder, database: database, path: path)
  }

  /// Once the trigger `refuse` is dropped, the next run ("r2") flushes the spooled `record` first: both stored,
  /// in order, `record`'s cases whole, the chain intact.
  static func expectTheNextRunStores(
    _ record: RunRecord, after recorder: HistoryRecorder, database: DatabaseQueue, path: String
  ) async throws {
    try await database.write { db in try db.execute(sql: "DROP TRIGGER refuse") }
    try database.close()
    let next = await recorder.append(HistoryTestSupport.record("r2", cases: 3))
    #expect(next.flushed == 1)
    #expect(next.stored?.id == "r2")
    let store = try SQLiteHistoryStore(path: path)
    let stored = try await store.records(suite: nil, limit: nil)
    #expect(stored.map(\.id) == ["r1", "r2"])
    #expect(stored.first?.cases == record.cases)
    #expect(AuditChain.verify(stored) == nil)
    await store.close()
  }

  /// An insert that goes through but whose commit fails (a deferred foreign key, checked at COMMIT) also gives
  /// the cases back: the spooled record is whole.
  @Test func aFailedCommitSpoolsTheWholeRecord() async throws {
    let (dir, path, database) = try await Self.history(
      altered: """
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TRIGGER dangle AFTER INSERT ON run BEGIN INSERT INTO child (parent) VALUES (42); END;
        """)
    try database.close()
    let spool = HistorySpool(directory: dir + "/spool")
    let record = HistoryTestSupport.record("r1", cases: 2_000) { $0 % 3 != 0 }
    let failed = await HistoryRecorder(location: .sqlite(path: path), spool: spool).append(record)
    #expect(failed.stored == nil)
    #expect(failed.warnings.first?.contains("could not be written") == true)
    let kept = try Data(contentsOf: URL(fileURLWithPath: dir + "/spool/r1.json"))
    #expect(kept == (try AuditChain.encoder.encode(record)))
  }

  /// A new SQLite history in a scratch folder with `sql` run on it (what makes an append fail), and a
  /// connection to it.
  static func history(altered sql: String) async throws -> (dir: String, path: String, database: DatabaseQueue) {
    let dir = try HistoryTestSupport.scratch()
    let path = dir + "/history.sqlite"
    _ = try SQLiteHistoryStore(path: path)
    let database = try DatabaseQueue(path: path)
    try await database.write { db in try db.execute(sql: sql) }
    return (dir, path, database)
  }

  @Test func aSpoolThatCannotBeWrittenEitherIsAWarningNotAFailure() async throws {
    let dir = try HistoryTestSupport.scratch()
    _ = FileManager.default.createFile(atPath: dir + "/blocked", contents: Data("x".utf8))
    let recorder = HistoryRecorder(
      location: .sqlite(path: dir + "/blocked/h.sqlite"), spool: HistorySpool(directory: dir + "/blocked/spool"))
    let outcome = await recorder.append(HistoryTestSupport.record("r"))
    #expect(outcome.stored == nil)
    #expect(outcome.warnings.first?.contains("could not be spooled either") == true)
  }

  @Test func locationsParse() throws {
    #expect(try HistoryLocation(parsing: "h.sqlite") == .sqlite(path: "h.sqlite"))
    #expect(try HistoryLocation(parsing: "sqlite:/tmp/h.db") == .sqlite(path: "/tmp/h.db"))
    #expect(try HistoryLocation(parsing: "sqlite:///tmp/h.db") == .sqlite(path: "/tmp/h.db"))
    #expect(
      try HistoryLocation(parsing: "postgres://u:pw@localhost:5432/db")
        == .postgres(url: "postgres://u:pw@localhost:5432/db"))
    #expect(
      try HistoryLocation(parsing: "postgres://u:pw@localhost:5432/db").description
        == "postgres://u:***@localhost:5432/db")
    #expect(throws: HistoryError.self) { try HistoryLocation(parsing: "mysql://u:secret@h/db") }
    do {
      _ = try HistoryLocation(parsing: "mysql://u:secret@h/db")
    } catch {
      #expect(!"\(error)".contains("secret"))
    }
  }
}
