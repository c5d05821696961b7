import EvalCore
import EvalHistory
import Foundation
import PostgresNIO
import Testing

/// The store contract, on SQLite and on PostgreSQL (skipped, naming EVALGATE_TEST_POSTGRES_URL, when no server
/// is configured).
struct HistoryStoreTests {
  /// Skipped, naming the variable, when no PostgreSQL server is configured (and then every test below runs on
  /// SQLite only); else the server answers.
  @Test func postgreSQLIsReachable() async throws {
    guard let url = HistoryBackend.postgresURL else {
      let why = "\(HistoryBackend.postgresVariable) is unset: the history store tests run on SQLite only"
      try Test.cancel(Comment(rawValue: why + " (scripts/test-postgres starts a server)"))
    }
    var answer = 0
    try await HistoryFixture.postgres(url) { connection, logger in
      for try await one in try await connection.query("SELECT 1", logger: logger).decode(Int.self) { answer = one }
    }
    #expect(answer == 1)
  }

  @Test(arguments: HistoryBackend.available)
  func appendedRecordsReadBackInOrderAsAnIntactChain(_ backend: HistoryBackend) async throws {
    let fixture = try await backend.makeFixture()
    let store = try await fixture.open()
    for n in 0..<5 {
      _ = try await store.append(HistoryTestSupport.record("r\(n)", suite: n % 2 == 0 ? "a" : "b", at: Double(n)))
    }
    let all = try await store.records(suite: nil, limit: nil)
    #expect(all.map(\.id) == ["r0", "r1", "r2", "r3", "r4"])
    #expect(AuditChain.verify(all) == nil)
    #expect(try await store.records(suite: "a", limit: nil).map(\.id) == ["r0", "r2", "r4"])
    #expect(try await store.records(suite: "a", limit: 2).map(\.id) == ["r2", "r4"])
    #expect(try await store.records(suite: nil, limit: 1).map(\.id) == ["r4"])
    await store.close()
    // Reopening migrates nothing and keeps everything.
    let again = try await fixture.open()
    #expect(try await again.records(suite: nil, limit: nil) == all)
    await again.close()
  }

  @Test(arguments: HistoryBackend.available)
  func aRunIDIsStoredOnceAndFoundByPrefix(_ backend: HistoryBackend) async throws {
    let store = try await backend.makeFixture().open()
    let first = try await store.append(HistoryTestSupport.record("20261202T120000Z-aaaaaa"))
    let again = try await store.append(HistoryTestSupport.record("20261202T120000Z-aaaaaa", cases: 3))
    _ = try await store.append(HistoryTestSupport.record("20261202T130000Z-bbbbbb"))
    _ = try await store.append(HistoryTestSupport.record("20261202T140000Z-10%_x"))
    #expect(again == first)
    #expect(try await store.records(suite: nil, limit: nil).count == 3)
    #expect(try await store.record(id: "20261202T13")?.id == "20261202T130000Z-bbbbbb")
    #expect(try await store.record(id: "nope") == nil)
    // LIKE's wildcards in an id prefix match themselves only.
    #expect(try await store.record(id: "20261202T1_0000Z") == nil)
    #expect(try await store.record(id: "20261202T140000Z-10%")?.id == "20261202T140000Z-10%_x")
    await #expect(throws: HistoryError.self) { try await store.record(id: "20261202T1") }
    await store.close()
  }

  @Test(arguments: HistoryBackend.available)
  func storedRunsCannotBeUpdatedOrDeleted(_ backend: HistoryBackend) async throws {
    let fixture = try await backend.makeFixture()
    let store = try await fixture.open()
    _ = try await store.append(HistoryTestSupport.record("r0"))
    await store.close()
    let table = fixture.runTable
    await #expect(throws: (any Error).self) { try await fixture.execute(["UPDATE \(table) SET kind = 'merge'"]) }
    await #expect(throws: (any Error).self) { try await fixture.execute(["DELETE FROM \(table)"]) }
    let reopened = try await fixture.open()
    #expect(try await reopened.records(suite: nil, limit: nil).map(\.kind) == [.run])
    await reopened.close()
  }

  @Test(arguments: HistoryBackend.available)
  func tamperingBehindTheTriggersIsFoundByTheChain(_ backend: HistoryBackend) async throws {
    let fixture = try await backend.makeFixture()
    let store = try await fixture.open()
    for n in 0..<4 { _ = try await store.append(HistoryTestSupport.record("r\(n)", at: Double(n))) }
    await store.close()
    let disable =
      switch backend {
      case .sqlite: "DROP TRIGGER run_no_update"
      case .postgres: "ALTER TABLE evalgate_run DISABLE TRIGGER evalgate_run_append_only"
      }
    try await fixture.execute([
      disable,
      "UPDATE \(fixture.runTable) SET record = replace(record, '\"gate\":\"passed\"', '\"gate\":\"failed\"') "
        + "WHERE id = 'r2'",
    ])
    let reopened = try await fixture.open()
    let broken = AuditChain.verify(try await reopened.records(suite: nil, limit: nil))
    #expect(broken?.runID == "r2")
    await reopened.close()
  }

  @Test(arguments: HistoryBackend.available)
  func concurrentWritersLoseNoRecordAndKeepOneChain(_ backend: HistoryBackend) async throws {
    let fixture = try await backend.makeFixture()
    let writers = 8
    let each = 25
    try await withThrowingTaskGroup(of: Void.self) { group in
      for w in 0..<writers {
        group.addTask {
          // A store (connection pool or connection) per writer, as separate runs would have; all open at
          // once, so a new PostgreSQL database is also migrated by several at once.
          let store = try await fixture.open()
          for n in 0..<each { _ = try await store.append(HistoryTestSupport.record("w\(w)-\(n)", at: Double(n))) }
          await store.close()
        }
      }
      try await group.waitForAll()
    }
    let store = try await fixture.open()
    let all = try await store.records(suite: nil, limit: nil)
    #expect(all.count == writers * each)
    #expect(Set(all.map(\.id)).count == writers * each)
    #expect(AuditChain.verify(all) == nil)
    await store.close()
  }
}
