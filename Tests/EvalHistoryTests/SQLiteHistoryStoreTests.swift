import EvalCore
import EvalHistory
import Foundation
import GRDB
import Testing

struct SQLiteHistoryStoreTests {
  @Test func appendedRecordsReadBackInOrderAsAnIntactChain() async throws {
    let path = try HistoryTestSupport.scratch() + "/h/history.sqlite"
    let store = try SQLiteHistoryStore(path: path)
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
    let again = try SQLiteHistoryStore(path: path)
    #expect(try await again.records(suite: nil, limit: nil) == all)
    await again.close()
  }

  @Test func aRunIDIsStoredOnceAndFoundByPrefix() async throws {
    let store = try SQLiteHistoryStore(path: try HistoryTestSupport.scratch() + "/history.sqlite")
    let first = try await store.append(HistoryTestSupport.record("20261202T120000Z-aaaaaa"))
    let again = try await store.append(HistoryTestSupport.record("20261202T120000Z-aaaaaa", cases: 3))
    _ = try await store.append(HistoryTestSupport.record("20261202T130000Z-bbbbbb"))
    #expect(again == first)
    #expect(try await store.records(suite: nil, limit: nil).count == 2)
    #expect(try await store.record(id: "20261202T13")?.id == "20261202T130000Z-bbbbbb")
    #expect(try await store.record(id: "nope") == nil)
    await #expect(throws: HistoryError.self) { try await store.record(id: "20261202T1") }
    await store.close()
  }

  @Test func storedRunsCannotBeUpdatedOrDeleted() async throws {
    let path = try HistoryTestSupport.scratch() + "/history.sqlite"
    let store = try SQLiteHistoryStore(path: path)
    _ = try await store.append(HistoryTestSupport.record("r0"))
    await store.close()
    let queue = try DatabaseQueue(path: path)
    #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "UPDATE run SET kind = 'merge'") } }
    #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "DELETE FROM run") } }
  }

  @Test func tamperingBehindTheTriggersIsFoundByTheChain() async throws {
    let path = try HistoryTestSupport.scratch() + "/history.sqlite"
    let store = try SQLiteHistoryStore(path: path)
    for n in 0..<4 { _ = try await store.append(HistoryTestSupport.record("r\(n)", at: Double(n))) }
    await store.close()
    let queue = try DatabaseQueue(path: path)
    try await queue.write { db in
      try db.execute(sql: "DROP TRIGGER run_no_update")
      try db.execute(
        sql: "UPDATE run SET record = replace(record, '\"gate\":\"passed\"', '\"gate\":\"failed\"') WHERE id = 'r2'")
    }
    try queue.close()
    let reopened = try SQLiteHistoryStore(path: path)
    let broken = AuditChain.verify(try await reopened.records(suite: nil, limit: nil))
    #expect(broken?.runID == "r2")
    await reopened.close()
  }

  @Test func concurrentWritersLoseNoRecordAndKeepOneChain() async throws {
    let path = try HistoryTestSupport.scratch() + "/history.sqlite"
    let writers = 8
    let each = 25
    try await withThrowingTaskGroup(of: Void.self) { group in
      for w in 0..<writers {
        group.addTask {
          // A connection pool per writer, as separate runs would have.
          let store = try SQLiteHistoryStore(path: path)
          for n in 0..<each { _ = try await store.append(HistoryTestSupport.record("w\(w)-\(n)", at: Double(n))) }
          await store.close()
        }
      }
      try await group.waitForAll()
    }
    let store = try SQLiteHistoryStore(path: path)
    let all = try await store.records(suite: nil, limit: nil)
    #expect(all.count == writers * each)
    #expect(Set(all.map(\.id)).count == writers * each)
    #expect(AuditChain.verify(all) == nil)
    await store.close()
  }
}
