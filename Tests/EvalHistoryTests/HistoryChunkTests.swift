import EvalCore
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import EvalHistory

/// Records whose cases are stored in chunks (`run_chunk`) beside their header: they read back as the text a
/// whole record has, verify, and chain with records stored whole (as every record was before the chunks).
struct HistoryChunkTests {
  /// A store of `backend` whose chunks are at most `chunkBytes` (small, so a few hundred cases take several).
  static func store(_ fixture: HistoryFixture, chunkBytes: Int) async throws -> any HistoryStore {
    switch fixture.location {
    case .sqlite(let path):
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      return try SQLiteHistoryStore(path: path, chunkBytes: chunkBytes)
    case .postgres(let url):
      return try await PostgresHistoryStore(
        url: PostgresURL(parsing: url, environment: ProcessInfo.processInfo.environment), chunkBytes: chunkBytes)
    }
  }

  /// How many chunks the history holds.
  static func chunkCount(_ fixture: HistoryFixture) async throws -> Int {
    switch fixture.location {
    case .sqlite(let path):
      let queue = try DatabaseQueue(path: path)
      defer { try? queue.close() }
      return try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM run_chunk") ?? 0 }
    case .postgres(let url):
      var count = 0
      try await HistoryFixture.postgres(url) { connection, logger in
        for try await n in try await connection.query("SELECT count(*)::BIGINT FROM evalgate_run_chunk", logger: logger)
          .decode(Int.self)
        {
          count = n
        }
      }
      return count
    }
  }

  @Test(arguments: HistoryBackend.available)
  func aRecordInManyChunksReadsBackWholeAndVerifies(_ backend: HistoryBackend) async throws {
    let fixture = try await backend.makeFixture()
    let store = try await Self.store(fixture, chunkBytes: 4_096)
    let small = HistoryTestSupport.record("r0", cases: 3, at: 0)
    let large = HistoryTestSupport.record("r1", cases: 700, at: 1) { $0 % 9 != 0 }
    let after = HistoryTestSupport.record("r2", cases: 700, at: 2) { $0 % 4 != 0 }
    for record in [small, large, after] { _ = try await store.append(record) }
    // 700 cases of about 90 bytes: over a dozen 4 KB chunks each; the three-case record is stored whole.
    #expect(try await Self.chunkCount(fixture) >= 20)

    let stored = try await store.records(suite: nil, limit: nil)
    #expect(stored.map(\.id) == ["r0", "r1", "r2"])
    #expect(stored.map(\.cases) == [small.cases, large.cases, after.cases])
    #expect(AuditChain.verify(stored) == nil)
    // The stored text is the whole record's canonical text, byte for byte.
    let entries = try await store.entries(suite: nil, limit: nil)
    #expect(try await store.storedRecord(at: entries[1].position) == AuditChain.encode(stored[1]))
    #expect(Array(try await store.reader(at: entries[2].position).cases) == after.cases)
    #expect(try await store.record(id: "r1")?.cases == large.cases)
    #expect(try await store.record(id: "r2")?.audit.hash == stored[2].audit.hash)
    let points = try await store.trendPoints(suite: "s", limit: 10)
    #expect(points.map(\.runID) == ["r0", "r1", "r2"])
    // Appending a run id already stored gives back its header, cases left out.
    var again = RunRecordDraft(large)
    let header = try await store.append(&again)
    #expect(header.audit.hash == stored[1].audit.hash)
    #expect(again.header.audit.hash.isEmpty)
    await store.close()
  }

  /// A history written before chunks (its schema at v1, every record whole in `run.record`) is migrated
  /// without touching its rows, and records stored in chunks after them link to them: one intact chain.
  @Test func oldWholeRecordsAndNewChunkedOnesAreOneChain() async throws {
    let path = try HistoryTestSupport.scratch() + "/history.sqlite"
    let queue = try DatabaseQueue(path: path)
    try SQLiteHistoryStore.migrator.migrate(queue, upTo: "v1")
    // What the store wrote before v2: the sealed record's whole text in one row.
    var previous = ""
    var old: [RunRecord] = []
    for n in 0..<3 {
      let sealed = try AuditChain.seal(HistoryTestSupport.record("old\(n)", cases: 400, at: Double(n)), after: previous)
      let link = previous
      try await queue.write { db in
        try db.execute(
          sql: "INSERT INTO run (id, kind, started_at, record, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
          arguments: [
            sealed.id, "run", AuditChain.encodedDate(sealed.startedAt), try AuditChain.encodedText(sealed), link,
            sealed.audit.hash,
          ])
        try db.execute(
          sql: "INSERT INTO run_suite (seq, suite) VALUES (?, 's')", arguments: [db.lastInsertedRowID])
      }
      previous = sealed.audit.hash
      old.append(sealed)
    }
    let before = try await queue.read { db in try String.fetchAll(db, sql: "SELECT record FROM run ORDER BY seq") }
    try queue.close()

    let store = try SQLiteHistoryStore(path: path, chunkBytes: 2_048)
    let new = (0..<2).map { HistoryTestSupport.record("new\($0)", cases: 400, at: Double(10 + $0)) }
    for record in new { _ = try await store.append(record) }
    let stored = try await store.records(suite: nil, limit: nil)
    #expect(stored.map(\.id) == ["old0", "old1", "old2", "new0", "new1"])
    #expect(stored.prefix(3).map(\.self) == old)
    #expect(stored.suffix(2).map(\.cases) == new.map(\.cases))
    #expect(stored[3].audit.previousHash == old[2].audit.hash)
    #expect(AuditChain.verify(stored) == nil)
    // Verified record by record, chunk by chunk: the same chain.
    let (verified, none) = try await store.verifyChain()
    #expect(none == nil)
    #expect(verified.count == 5)
    #expect(verified.newest?.audit.hash == stored[4].audit.hash)
    await store.close()

    let reopened = try DatabaseQueue(path: path)
    let (after, chunked) = try await reopened.read { db in
      (
        try String.fetchAll(db, sql: "SELECT record FROM run ORDER BY seq LIMIT 3"),
        try Int.fetchAll(db, sql: "SELECT DISTINCT seq FROM run_chunk ORDER BY seq")
      )
    }
    #expect(after == before)  // the old rows as they were
    #expect(chunked == [4, 5])
    // The chunks are append-only too, and changing one behind the triggers' back breaks the chain there.
    await #expect(throws: (any Error).self) {
      try await reopened.write { db in try db.execute(sql: "DELETE FROM run_chunk WHERE seq = 4") }
    }
    try await reopened.write { db in
      try db.execute(sql: "DROP TRIGGER run_chunk_no_update")
      try db.execute(
        sql: "UPDATE run_chunk SET bytes = CAST(replace(CAST(bytes AS TEXT), 'passed', 'failed') AS BLOB) "
          + "WHERE seq = 5 AND n = 1")
    }
    try reopened.close()
    let tampered = try SQLiteHistoryStore(path: path)
    #expect(AuditChain.verify(try await tampered.records(suite: nil, limit: nil))?.runID == "new1")
    let broken = try await tampered.verifyChain()
    #expect(broken.broken?.runID == "new1")
    #expect(broken.broken?.position == 4)
    #expect(broken.verifier.count == 4)
    await tampered.close()
  }

  /// A record too large to store whole whose chunk insert fails is spooled whole (read back from the
  /// draft's temporary file), unsealed, and the next run stores it in chunks.
  @Test func aFailedChunkInsertSpoolsTheWholeRecord() async throws {
    let (dir, path, database) = try await HistoryRecorderTests.history(
      altered:
        "CREATE TRIGGER refuse BEFORE INSERT ON run_chunk WHEN NEW.n = 1 BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
    )
    let spool = HistorySpool(directory: dir + "/spool")
    // About 1.3 MB of cases: over the default chunk size, so the draft keeps most of them in its file.
    let record = HistoryTestSupport.record("r1", cases: 16_000) { $0 % 11 != 0 }
    let draft = RunRecordDraft(record)
    #expect(draft.caseBytes > SQLiteHistoryStore.chunkBytes)
    let recorder = HistoryRecorder(location: .sqlite(path: path), spool: spool)
    let failed = await recorder.append(draft)
    #expect(failed.stored == nil)
    #expect(failed.warnings.first?.contains("disk says no") == true)
    let kept = try Data(contentsOf: URL(fileURLWithPath: dir + "/spool/r1.json"))
    #expect(kept == (try AuditChain.encoder.encode(record)))

    try await HistoryRecorderTests.expectTheNextRunStores(record, after: recorder, database: database, path: path)
  }

  /// A CI role granted only the first version's tables (`SELECT, INSERT`) goes on as before: it stores large
  /// records whole, and a chunked record it cannot read is an error naming the grant, not a record without
  /// its cases. The owner reads both kinds as one intact chain.
  @Test func aRoleWithoutTheChunkTableStoresRecordsWhole() async throws {
    guard HistoryBackend.postgresURL != nil else {
      try Test.cancel("\(HistoryBackend.postgresVariable) is unset: the PostgreSQL role test is skipped")
    }
    let fixture = try await HistoryBackend.postgres.makeFixture()
    let owner = try await Self.store(fixture, chunkBytes: 4_096)
    let first = HistoryTestSupport.record("by-owner", cases: 600, at: 0)
    _ = try await owner.append(first)
    let chunks = try await Self.chunkCount(fixture)
    #expect(chunks > 1)
    let ci = try await PostgresHistoryStore(
      url: PostgresURL(parsing: try await fixture.ciRole(), environment: ProcessInfo.processInfo.environment),
      chunkBytes: 4_096)
    let second = HistoryTestSupport.record("by-ci", cases: 600, at: 1)
    _ = try await ci.append(second)
    #expect(try await Self.chunkCount(fixture) == chunks)  // stored whole
    do {
      _ = try await ci.records(suite: nil, limit: nil)
      Issue.record("a record whose cases this role cannot read was read")
    } catch {
      #expect("\(error)".contains("GRANT SELECT, INSERT ON evalgate_run_chunk"), "\(error)")
    }
    #expect(try await ci.record(id: "by-ci")?.cases == second.cases)
    await ci.close()
    let all = try await owner.records(suite: nil, limit: nil)
    #expect(all.map(\.cases) == [first.cases, second.cases])
    #expect(AuditChain.verify(all) == nil)
    await owner.close()
  }

  /// A database at the first version that a CI role without CREATE opens first: the chunk table's migration is
  /// left for the owner, the role appends whole records, and the owner's next open adds the table.
  @Test func aRoleThatMayNotMigrateLeavesTheChunkTableForTheOwner() async throws {
    guard HistoryBackend.postgresURL != nil else {
      try Test.cancel("\(HistoryBackend.postgresVariable) is unset: the PostgreSQL role test is skipped")
    }
    let fixture = try await HistoryBackend.postgres.makeFixture()
    let url = try await fixture.ciRole(
      after: [
        "CREATE TABLE evalgate_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
      ] + PostgresHistoryStore.migrations[0] + ["INSERT INTO evalgate_schema (version) VALUES (1)"])
    let ci = try await PostgresHistoryStore(
      url: PostgresURL(parsing: url, environment: ProcessInfo.processInfo.environment), chunkBytes: 4_096)
    let first = HistoryTestSupport.record("by-ci", cases: 600, at: 0)
    _ = try await ci.append(first)
    #expect(try await ci.records(suite: nil, limit: nil).map(\.cases) == [first.cases])
    await ci.close()

    let owner = try await Self.store(fixture, chunkBytes: 4_096)
    let second = HistoryTestSupport.record("by-owner", cases: 600, at: 1)
    _ = try await owner.append(second)
    #expect(try await Self.chunkCount(fixture) > 1)
    let all = try await owner.records(suite: nil, limit: nil)
    #expect(all.map(\.cases) == [first.cases, second.cases])
    #expect(AuditChain.verify(all) == nil)
    await owner.close()
  }
}
