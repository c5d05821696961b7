import Foundation
import GRDB

/// An SQLite file several evalgate processes may open at the same moment (the history and the response cache:
/// CI jobs or a developer's runs started together on a project that has neither yet). Opening in WAL mode and
/// migrating are not safe against that on their own: `PRAGMA journal_mode = WAL` answers SQLITE_BUSY without
/// waiting while another process switches the new file, and GRDB's migrator reads which migrations are applied
/// before it takes the write lock, so the later of two processes fails with "table … already exists". GRDB's
/// own advice (NSFileCoordinator) is Apple-only; here each step is tried again until the file is open and
/// migrated, or the busy timeout has passed.
public enum SharedSQLiteFile {
  /// Opens (creating its folder and the file if needed) the database at `path` as a pool in WAL mode, with
  /// `busyTimeout` for every lock it waits on, and applies `migrator`'s migrations not yet applied.
  /// - Throws: when the file cannot be created or opened, or a migration fails for another reason than a
  ///   process migrating at the same time (or keeps failing past the busy timeout).
  public static func open(path: String, busyTimeout: TimeInterval, migrator: DatabaseMigrator) throws -> DatabasePool {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    var configuration = Configuration()
    configuration.busyMode = .timeout(busyTimeout)
    let deadline = Date().addingTimeInterval(busyTimeout)
    let pool = try retrying(until: deadline, when: { ($0 as? DatabaseError)?.resultCode == .SQLITE_BUSY }) {
      try DatabasePool(path: path, configuration: configuration)
    }
    // A migration that failed rolled back. When another process won the race it has applied it, which
    // reading the applied migrations again (behind its lock) shows; each such failure means another process
    // committed a migration, so a few attempts always do, and any other failure is thrown soon.
    var attempt = 1
    while true {
      do {
        try migrator.migrate(pool)
        return pool
      } catch {
        if try pool.read({ try migrator.hasCompletedMigrations($0) }) { return pool }
        guard attempt < migrationAttempts else { throw error }
        attempt += 1
      }
    }
  }

  /// How many times a migration is tried on a file other processes are migrating too.
  static let migrationAttempts = 8

  /// `body`'s value, calling it again after a short random pause while it throws an error `retry` accepts and
  /// `deadline` has not passed.
  static func retrying<T>(until deadline: Date, when retry: (any Error) -> Bool, _ body: () throws -> T) throws -> T {
    var generator = SystemRandomNumberGenerator()
    while true {
      do {
        return try body()
      } catch  where retry(error) && Date() < deadline {
        Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.05, using: &generator))
      }
    }
  }
}
