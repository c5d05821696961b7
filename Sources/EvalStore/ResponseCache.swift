import Crypto
import EvalCore
import Foundation
import GRDB
import Synchronization

/// Model responses kept in an SQLite file (WAL, safe under concurrent calls), so an unchanged case is
/// not paid for twice. Keys cover everything that shapes an answer — provider kind, endpoint, model,
/// the full canonical request and the repeat index (so repeats stay independent samples). Errors and
/// empty outputs are never stored; entries older than the TTL are ignored and can be pruned.
public final class ResponseCache: Sendable {
  private let pool: DatabasePool
  /// How long an entry counts.
  public let ttl: Duration
  /// The first failure to store an entry, when one happened (the run goes on without saving it).
  private let storeFailure = Mutex<String?>(nil)

  /// How long cached responses count unless `--cache-ttl` says otherwise, as the flag spells it.
  public static let defaultTTLText = "14d"
  /// ``defaultTTLText`` as a duration.
  public static let defaultTTL = DurationText.parse(defaultTTLText) ?? .seconds(14 * 86_400)

  /// How long a connection waits for another process's write lock (several runs sharing one cache).
  public static let busyTimeout: TimeInterval = 30

  /// Opens (creating if needed) the cache at `path`. Several processes may open the same file at once:
  /// each waits for the others' locks (busy timeout), and creating the file and its table is safe when they
  /// race.
  /// - Throws: when the file cannot be opened or migrated.
  public init(path: String, ttl: Duration = ResponseCache.defaultTTL) throws {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.create(table: "response") { t in
        t.primaryKey("key", .text)
        t.column("createdAt", .double).notNull()
        t.column("completion", .blob).notNull()
      }
    }
    pool = try SharedSQLiteFile.open(path: path, busyTimeout: ResponseCache.busyTimeout, migrator: migrator)
    self.ttl = ttl
  }

  /// The cache key for one request to one endpoint.
  public static func key(endpoint: String, request: CompletionRequest) -> String {
    let canonical = JSONValue.object([
      "endpoint": .string(endpoint),
      "messages": .array(request.messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) }),
      "repeat": .number(Double(request.repeatIndex)),
    ]).canonicalJSON
    return Hex.lowercase(SHA256.hash(data: Array(canonical.utf8)))
  }

  /// A stored completion younger than the TTL, or `nil`.
  public func lookup(_ key: String, now: Date = Date()) async throws -> Completion? {
    let oldest = now.timeIntervalSince1970 - ttl.inSeconds
    let data = try await pool.read { db in
      try Data.fetchOne(
        db, sql: "SELECT completion FROM response WHERE key = ? AND createdAt >= ?", arguments: [key, oldest])
    }
    return data.flatMap { try? JSONDecoder().decode(Completion.self, from: $0) }
  }

  /// Every stored, unexpired completion among `keys`, read in a few queries: a run looks up all of its
  /// cases at once instead of one read per call.
  public func lookup(_ keys: [String], now: Date = Date()) async throws -> [String: Completion] {
    guard !keys.isEmpty else { return [:] }
    let oldest = now.timeIntervalSince1970 - ttl.inSeconds
    let rows = try await pool.read { db in
      var found: [(String, Data)] = []
      var start = 0
      while start < keys.count {
        let chunk = Array(keys[start..<min(start + 500, keys.count)])
        start += chunk.count
        let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
        let statement = try db.cachedStatement(
          sql: "SELECT key, completion FROM response WHERE createdAt >= ? AND key IN (\(marks))")
        var arguments: StatementArguments = [oldest]
        arguments += StatementArguments(chunk)
        for row in try Row.fetchAll(statement, arguments: arguments) {
          found.append((row[0], row[1]))
        }
      }
      return found
    }
    let decoder = JSONDecoder()
    var out: [String: Completion] = [:]
    for (key, data) in rows { out[key] = try? decoder.decode(Completion.self, from: data) }
    return out
  }

  /// Stores a completion; empty outputs are not stored.
  public func store(_ completion: Completion, for key: String, now: Date = Date()) async throws {
    guard !completion.text.isEmpty else { return }
    let data = try JSONEncoder().encode(completion)
    do {
      try await pool.write { db in
        try db.execute(
          sql: "INSERT OR REPLACE INTO response (key, createdAt, completion) VALUES (?, ?, ?)",
          arguments: [key, now.timeIntervalSince1970, data])
      }
    } catch {
      storeFailure.withLock { $0 = $0 ?? "\(error)" }
      throw error
    }
  }

  /// Why entries could not be stored, when some could not (said once at the end of a run).
  public var writeFailure: String? { storeFailure.withLock { $0 } }

  /// Entry count, expired count and file size in bytes.
  public func stats(now: Date = Date()) async throws -> (entries: Int, expired: Int, bytes: Int) {
    let oldest = now.timeIntervalSince1970 - ttl.inSeconds
    let (entries, expired) = try await pool.read { db in
      (
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM response") ?? 0,
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM response WHERE createdAt < ?", arguments: [oldest]) ?? 0
      )
    }
    let bytes = (try? FileManager.default.attributesOfItem(atPath: pool.path)[.size] as? Int) ?? 0
    return (entries, expired, bytes)
  }

  /// Deletes expired entries; returns how many.
  @discardableResult
  public func prune(now: Date = Date()) async throws -> Int {
    let oldest = now.timeIntervalSince1970 - ttl.inSeconds
    return try await pool.write { db in
      try db.execute(sql: "DELETE FROM response WHERE createdAt < ?", arguments: [oldest])
      return db.changesCount
    }
  }

  /// Deletes every entry; returns how many.
  @discardableResult
  public func clear() async throws -> Int {
    try await pool.write { db in
      try db.execute(sql: "DELETE FROM response")
      return db.changesCount
    }
  }
}

/// A provider in front of the cache: answers from it when it can, stores what the endpoint returns.
/// Cache failures never fail a call; they only cost the saving.
public struct CachingProvider: Provider {
  /// One sample of one case: what read-ahead entries are found by.
  public struct Slot: Hashable, Sendable {
    /// The case's id.
    public var caseID: String
    /// The repeat.
    public var repeatIndex: Int

    /// Creates a slot.
    public init(caseID: String, repeatIndex: Int) {
      self.caseID = caseID
      self.repeatIndex = repeatIndex
    }
  }

  let inner: any Provider
  let cache: ResponseCache
  /// What identifies the endpoint in keys: provider id, base URL, model and sampling settings.
  let endpoint: String
  /// Entries read ahead for every sample of the run, by slot; `nil` when nothing was read ahead.
  let preloaded: [Slot: Completion]?
  /// An answer that reveals a credential is never stored.
  let redactor: Redactor

  /// Wraps `inner`. With `preloaded` (every entry found for this run's samples), a sample not in it goes
  /// straight to the endpoint without hashing its request twice; without, each request is looked up on
  /// its own.
  public init(
    _ inner: any Provider, cache: ResponseCache, endpoint: String, preloaded: [Slot: Completion]? = nil,
    redactor: Redactor = Redactor()
  ) {
    self.inner = inner
    self.redactor = redactor
    self.cache = cache
    self.endpoint = endpoint
    self.preloaded = preloaded
  }

  public var label: String { inner.label }

  /// Why answers could not be stored in the cache, when some could not.
  public var cacheWriteFailure: String? { cache.writeFailure }

  public func knownAnswer(for request: CompletionRequest) -> Completion? {
    guard let preloaded, !request.caseID.isEmpty,
      var hit = preloaded[Slot(caseID: request.caseID, repeatIndex: request.repeatIndex)], hit.latencyMs != nil
    else { return nil }
    hit.cached = true
    return hit
  }

  /// The endpoint's connections, opened ahead: a run that finds every answer in the cache opens them for nothing
  /// (a connect each, while the run starts up), one that does not needs them first.
  public func warmUp(connections: Int) { inner.warmUp(connections: connections) }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    let found: Completion?
    var key: String?
    if let preloaded, !request.caseID.isEmpty {
      found = preloaded[Slot(caseID: request.caseID, repeatIndex: request.repeatIndex)]
    } else {
      key = ResponseCache.key(endpoint: endpoint, request: request)
      found = try? await cache.lookup(key ?? "")
    }
    // An entry without the latency it was fetched with (stored by an older evalgate) is fetched again, so a
    // cached answer never reports the cache's 0 ms as the endpoint's latency.
    if var hit = found, hit.latencyMs != nil {
      hit.cached = true
      return hit
    }
    let start = ContinuousClock.now
    var completion = try await inner.complete(request)
    completion.latencyMs = start.duration(to: .now).inMilliseconds
    guard !redactor.reveals(completion.text) else { return completion }
    try? await cache.store(completion, for: key ?? ResponseCache.key(endpoint: endpoint, request: request))
    return completion
  }
}
