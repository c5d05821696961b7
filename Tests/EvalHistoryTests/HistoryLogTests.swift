import EvalCore
import Foundation
import GRDB
import Testing

@testable import EvalHistory

/// The SQLite history's write-ahead log stays about one run's record long however many runs append to it, each
/// in a process of its own as `evalgate run` does (``SQLiteHistoryStore/emptyLog(_:)``).
struct HistoryLogTests {
  /// The log's size in bytes (0 when there is none).
  static func logBytes(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
  }

  /// Each run opens the history, appends, reads its drift window back and closes, as a run's process does;
  /// before the log was emptied it grew by a record every run (about 100 KB here), and never started over.
  @Test func theLogDoesNotGrowRunAfterRun() async throws {
    let dir = try HistoryTestSupport.scratch()
    let path = dir + "/history.sqlite"
    let recorder = HistoryRecorder(location: .sqlite(path: path), spool: HistorySpool(directory: dir + "/spool"))
    var sizes: [Int] = []
    for n in 0..<8 {
      let record = HistoryTestSupport.record("r\(n)", cases: 1_000, at: Double(n)) { ($0 + n) % 7 != 0 }
      let outcome = await recorder.append(record, window: 10)
      #expect(outcome.warnings.isEmpty)
      #expect(outcome.stored != nil)
      sizes.append(Self.logBytes(path))
    }
    // About one record's pages (and the log's header) after every run: before, the eighth run's log held all
    // eight records.
    #expect(sizes[0] > 0)
    #expect(sizes.max()! <= 2 * sizes[0], "log sizes run by run: \(sizes)")
    let store = try SQLiteHistoryStore(path: path)
    #expect(try await store.records(suite: "s", limit: nil).map(\.id) == (0..<8).map { "r\($0)" })
    let (verified, failure) = try await store.verifyChain()
    #expect(failure == nil)
    #expect(verified.count == 8)
    await store.close()
  }

  /// A record in chunks (a large run) leaves no log behind it: its pages are in the database when the
  /// append returns, with the run's own reads done on the pool's readers after it.
  @Test func aRecordInChunksLeavesAnEmptyLog() async throws {
    let path = try HistoryTestSupport.scratch() + "/history.sqlite"
    let store = try SQLiteHistoryStore(path: path, chunkBytes: 4_096)
    _ = try await store.append(HistoryTestSupport.record("small", cases: 3, at: 0))
    #expect(Self.logBytes(path) > 0)  // a small record is left for the next open
    _ = try await store.append(HistoryTestSupport.record("large", cases: 700, at: 1))
    #expect(Self.logBytes(path) == 0)
    #expect(try await store.records(suite: "s", limit: nil).map(\.cases.count) == [3, 700])
    await store.close()
  }

  /// Emptying the log never waits for another process: with a reader in the middle of a read transaction the
  /// history still opens at once (the busy timeout is a minute) and the log is left for a later run.
  @Test func openingDoesNotWaitForAnotherReader() async throws {
    let path = try HistoryTestSupport.scratch() + "/history.sqlite"
    let first = try SQLiteHistoryStore(path: path)
    _ = try await first.append(HistoryTestSupport.record("r0", cases: 50, at: 0))
    _ = try await first.entries(suite: nil, limit: nil)  // a reader: the writer alone would delete the log on close
    await first.close()
    let logged = Self.logBytes(path)
    #expect(logged > 0)

    // Another process's reader in the middle of a read transaction (a snapshot holds one until it is dropped).
    let other = try DatabasePool(path: path)
    var snapshot: DatabaseSnapshot? = try other.makeSnapshot()
    let seen = try await snapshot?.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM run") }
    #expect(seen == 1)
    let clock = ContinuousClock()
    let start = clock.now
    let second = try SQLiteHistoryStore(path: path)
    #expect(clock.now - start < .seconds(10))
    #expect(try await second.records(suite: nil, limit: nil).map(\.id) == ["r0"])
    #expect(Self.logBytes(path) > 0)
    snapshot = nil
    try other.close()
    await second.close()

    // With the reader gone, the next open empties it.
    let third = try SQLiteHistoryStore(path: path)
    #expect(Self.logBytes(path) == 0)
    await third.close()
  }

  /// Runs that always overlap another's reads never empty the log when they open the history; an append that
  /// finds the log past ``SQLiteHistoryStore/logLimit`` empties it once no one is reading.
  @Test func aLogPastItsLimitIsEmptiedByTheNextAppend() async throws {
    let path = try HistoryTestSupport.scratch() + "/history.sqlite"
    let store = try SQLiteHistoryStore(path: path)
    let other = try DatabasePool(path: path)
    var snapshot: DatabaseSnapshot? = try other.makeSnapshot()  // another process reading all along
    // Records of 9,000 cases (about 0.8 MB: under the 1 MB of a record stored in chunks) until the log is past
    // the limit.
    var n = 0
    while store.logBytes <= SQLiteHistoryStore.logLimit {
      _ = try await store.append(HistoryTestSupport.record("r\(n)", cases: 9_000, at: Double(n)))
      n += 1
      try #require(n < 10)
    }
    // The reader reads its snapshot (the history before the first record) and goes away.
    #expect(try await snapshot?.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM run") } == 0)
    snapshot = nil
    try other.close()
    _ = try await store.append(HistoryTestSupport.record("r\(n)", cases: 10, at: Double(n)))
    #expect(store.logBytes == 0)
    #expect(try await store.entries(suite: nil, limit: nil).count == n + 1)
    await store.close()
  }
}
