import EvalHistory
import EvalStore
import Foundation
import GRDB
import Synchronization
import Testing

/// Runs started together on a project that has no history or response cache yet all create the same SQLite
/// file: every one must open it (a run that fails to open its history spools its record; CI saw one of six
/// concurrent runs do so). Threads, not tasks, so that the openers really race.
struct SharedFileTests {
  /// Runs `body` on `threads` threads released at the same moment; the errors they threw.
  static func atOnce(threads: Int, _ body: @escaping @Sendable () throws -> Void) -> [String] {
    let failures = Mutex<[String]>([])
    let start = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for _ in 0..<threads {
      done.enter()
      Thread.detachNewThread {
        start.wait()
        do { try body() } catch { failures.withLock { $0.append("\(error)") } }
        done.leave()
      }
    }
    for _ in 0..<threads { start.signal() }
    done.wait()
    return failures.withLock { $0 }
  }

  static func newPath(_ name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-shared-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
  }

  @Test func aNewFileMigratedByManyAtOnceEndsMigratedOnce() throws {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in try db.execute(sql: "CREATE TABLE a (x INTEGER)") }
    migrator.registerMigration("v2") { db in try db.execute(sql: "CREATE TABLE b (y INTEGER)") }
    let shared = migrator
    for round in 0..<20 {
      let path = try Self.newPath("m.sqlite")
      let failures = Self.atOnce(threads: 8) {
        try SharedSQLiteFile.open(path: path, busyTimeout: 30, migrator: shared).close()
      }
      #expect(failures == [], "round \(round)")
      let queue = try DatabaseQueue(path: path)
      let applied = try queue.read { try migrator.appliedIdentifiers($0) }
      #expect(applied == ["v1", "v2"])
    }
  }

  @Test func aNewHistoryOpenedByManyAtOnceOpensForAll() throws {
    for round in 0..<20 {
      let path = try Self.newPath("history.sqlite")
      #expect(Self.atOnce(threads: 8) { _ = try SQLiteHistoryStore(path: path) } == [], "round \(round)")
    }
  }

  @Test func aNewResponseCacheOpenedByManyAtOnceOpensForAll() throws {
    for round in 0..<20 {
      let path = try Self.newPath("cache.sqlite")
      #expect(Self.atOnce(threads: 8) { _ = try ResponseCache(path: path) } == [], "round \(round)")
    }
  }
}
