import EvalCore
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import EvalHistory

/// Each run's trend points kept in `run_point` when it is appended: read back, they are the points computed from
/// the stored records as before the table, to the bit; runs without a row (stored before `v3`, or their rows
/// gone) are computed from their records; a v2 history migrates; verify does not see the table.
struct HistoryPointTests {
  /// A record of suites `a`, `b`, `unjudged` (only errored and skipped cases, no score, no latency) and `empty`
  /// (no case), with latencies and scores whose digits do not end (so a figure that lost a bit would show),
  /// some cases without either.
  static func record(_ id: String, at seconds: Double, cases count: Int = 300, salt: Int = 0) -> RunRecord {
    let outcomes: [Outcome] = [.passed, .failed, .passed, .errored, .skipped, .passed, .failed]
    var record = HistoryTestSupport.record(id, cases: 0, at: seconds + 0.0004567)
    record.suites = ["a", "b", "unjudged", "empty", "a"]
    record.cases = (0..<count).map { i in
      let suite = i % 5 == 4 ? "unjudged" : i % 3 == 0 ? "b" : "a"
      let outcome = suite == "unjudged" ? (i % 2 == 0 ? .errored : .skipped) : outcomes[(i + salt) % outcomes.count]
      let judged = outcome == .passed || outcome == .failed
      return RunRecord.CaseOutcome(
        id: String(format: "%016x", i), suite: suite, outcome: outcome,
        score: judged && i % 11 != 0 ? Double((i * 7 + salt) % 13) / 13 + 1 / Double(i + 3) : nil,
        latencyMs: suite != "unjudged" && i % 17 != 0 ? Double(i * 37 % 401) * 1.1 + 1 / Double(i + 7 + salt) : nil)
    }
    return record
  }

  /// The points of `suite` computed from the stored records the way they were before `run_point`: each record
  /// read case by case (``StoredRecordReader``).
  static func computed(_ store: any HistoryStore, suite: String, limit: Int) async throws -> [SuiteTrend.Point] {
    var points: [SuiteTrend.Point] = []
    for entry in try await store.entries(suite: suite, limit: limit) {
      let reader = try await StoredRecordReader(store, at: entry.position)
      points.append(
        try await SuiteTrend.Point(runID: reader.header.id, startedAt: reader.header.startedAt, suite: suite) {
          take in try await reader.forEachCase(take)
        })
    }
    return points
  }

  /// Every figure's bits (`nil` as `nil`): equal points with a figure off by one bit would still compare equal
  /// only if the bits did.
  static func bits(_ points: [SuiteTrend.Point]) -> [[UInt64?]] {
    points.map { p in
      [p.passRate, p.meanScore, p.latencyP50Ms, p.latencyP95Ms].map { $0?.bitPattern }
        + [p.startedAt.timeIntervalSinceReferenceDate.bitPattern]
    }
  }

  /// How many rows `run_point` holds.
  static func pointRows(_ fixture: HistoryFixture) async throws -> Int {
    switch fixture.location {
    case .sqlite(let path):
      let queue = try DatabaseQueue(path: path)
      defer { try? queue.close() }
      return try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM run_point") ?? 0 }
    case .postgres(let url):
      var count = 0
      try await HistoryFixture.postgres(url) { connection, logger in
        for try await n in try await connection.query("SELECT count(*)::BIGINT FROM evalgate_run_point", logger: logger)
          .decode(Int.self)
        {
          count = n
        }
      }
      return count
    }
  }

  /// The raw SQL that removes every kept point behind the store's back (its trigger dropped), as a history
  /// written before `v3` has none.
  static func dropPoints(_ fixture: HistoryFixture) -> [String] {
    if case .postgres = fixture.location {
      return [
        "DROP TRIGGER IF EXISTS evalgate_run_point_append_only ON evalgate_run_point", "DELETE FROM evalgate_run_point",
      ]
    }
    return ["DROP TRIGGER IF EXISTS run_point_no_delete", "DELETE FROM run_point"]
  }

  @Test(arguments: HistoryBackend.available)
  func keptPointsAreThePointsComputedFromTheRecordsToTheBit(_ backend: HistoryBackend) async throws {
    let fixture = try await backend.makeFixture()
    // Small chunks: some records are stored in chunks, some whole.
    let store = try await HistoryChunkTests.store(fixture, chunkBytes: 4_096)
    for n in 0..<6 {
      _ = try await store.append(Self.record("r\(n)", at: Double(n), cases: n == 2 ? 12 : 300, salt: n))
    }
    // As stored: their start times in whole milliseconds.
    let records = try await store.records(suite: nil, limit: 5)
    // One row per run and distinct suite.
    #expect(try await Self.pointRows(fixture) == 6 * 4)
    for suite in ["a", "b", "unjudged", "empty"] {
      let kept = try await store.trendPoints(suite: suite, limit: 5)
      let computed = try await Self.computed(store, suite: suite, limit: 5)
      #expect(kept.map(\.runID) == ["r1", "r2", "r3", "r4", "r5"])
      #expect(kept == computed, "\(suite)")
      #expect(Self.bits(kept) == Self.bits(computed), "\(suite)")
      // And the points of the records as appended, decoded whole.
      #expect(kept == records.map { SuiteTrend.Point(run: $0, suite: suite) })
    }
    let a = try await store.trendPoints(suite: "a", limit: 9)
    #expect(a.allSatisfy { $0.passRate != nil && $0.meanScore != nil && $0.latencyP95Ms != nil })
    #expect(a.contains { $0.latencyP50Ms != $0.latencyP95Ms })
    let unjudged = try await store.trendPoints(suite: "unjudged", limit: 9)
    #expect(unjudged.allSatisfy { $0.passRate == nil && $0.meanScore == nil && $0.latencyP50Ms == nil })
    #expect(try await store.trendPoints(suite: "empty", limit: 2).map(\.passRate) == [nil, nil])
    #expect(try await store.trendPoints(suite: "none", limit: 9).isEmpty)
    // The points are read from the table: no record is read, whole or in pieces.
    let counting = PieceCountingStore(store)
    _ = try await counting.trendPoints(suite: "a", limit: 9)
    #expect(counting.counts.whole == 0)
    #expect(counting.counts.largest == 0)
    await store.close()
  }

  /// A history whose runs have no kept points (written before `v3`: here their rows removed) charts the same
  /// points, computed from its records chunk by chunk; runs appended after keep theirs, and the window mixes
  /// both. The table is not part of the chain: verify is intact with or without its rows.
  @Test(arguments: HistoryBackend.available)
  func runsWithoutKeptPointsAreComputedFromTheirRecords(_ backend: HistoryBackend) async throws {
    let fixture = try await backend.makeFixture()
    let store = try await HistoryChunkTests.store(fixture, chunkBytes: 4_096)
    for n in 0..<4 { _ = try await store.append(Self.record("old\(n)", at: Double(n), salt: n)) }
    let before = try await store.trendPoints(suite: "a", limit: 9)
    let verifiedBefore = try await store.verifyChain()
    try await fixture.execute(Self.dropPoints(fixture))
    #expect(try await Self.pointRows(fixture) == 0)

    let counting = PieceCountingStore(store)
    let fallback = try await counting.trendPoints(suite: "a", limit: 9)
    #expect(fallback == before)
    #expect(Self.bits(fallback) == Self.bits(before))
    #expect(counting.counts.whole == 0)  // read chunk by chunk, as before the table
    #expect(counting.counts.largest > 0)
    let verifiedAfter = try await store.verifyChain()
    #expect(verifiedAfter.broken == nil)
    #expect(verifiedAfter.verifier.count == verifiedBefore.verifier.count)
    #expect(verifiedAfter.verifier.newest == verifiedBefore.verifier.newest)

    for n in 4..<7 { _ = try await store.append(Self.record("new\(n)", at: Double(n), salt: n)) }
    #expect(try await Self.pointRows(fixture) == 3 * 4)
    for suite in ["a", "b", "unjudged", "empty"] {
      let mixed = try await store.trendPoints(suite: suite, limit: 5)
      #expect(mixed.map(\.runID) == ["old2", "old3", "new4", "new5", "new6"])
      let computed = try await Self.computed(store, suite: suite, limit: 5)
      #expect(mixed == computed)
      #expect(Self.bits(mixed) == Self.bits(computed))
    }
    #expect(try await store.verifyChain().broken == nil)
    await store.close()
  }

  /// An SQLite history at `v2` (records stored whole and in chunks, no `run_point`) is migrated without touching
  /// its rows: its runs chart from their records, new runs keep their points, the chain is one and intact.
  @Test func aV2HistoryMigratesAndItsRunsChartFromTheirRecords() async throws {
    let path = try HistoryTestSupport.scratch() + "/history.sqlite"
    let queue = try DatabaseQueue(path: path)
    try SQLiteHistoryStore.migrator.migrate(queue, upTo: "v2")
    try queue.close()
    // Written through a v2 history: the store's own inserts, then the v3 table taken away, as if never made.
    do {
      let store = try SQLiteHistoryStore(path: path, chunkBytes: 4_096)
      for n in 0..<3 { _ = try await store.append(Self.record("old\(n)", at: Double(n), salt: n)) }
      await store.close()
      let rewind = try DatabaseQueue(path: path)
      try await rewind.write { db in
        try db.execute(sql: "DROP TABLE run_point")
        try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3'")
      }
      #expect(try await rewind.read { db in try db.tableExists("run_point") } == false)
      try rewind.close()
    }
    let before = try await Self.rows(path)

    let store = try SQLiteHistoryStore(path: path, chunkBytes: 4_096)
    let old = try await Self.computed(store, suite: "b", limit: 3)
    #expect(try await store.trendPoints(suite: "b", limit: 3) == old)
    for n in 3..<5 { _ = try await store.append(Self.record("new\(n)", at: Double(n), salt: n)) }
    let points = try await store.trendPoints(suite: "b", limit: 9)
    #expect(points.map(\.runID) == ["old0", "old1", "old2", "new3", "new4"])
    #expect(points == (try await Self.computed(store, suite: "b", limit: 9)))
    #expect(Self.bits(points) == Self.bits(try await Self.computed(store, suite: "b", limit: 9)))
    let verified = try await store.verifyChain()
    #expect(verified.broken == nil)
    #expect(verified.verifier.count == 5)
    await store.close()

    let after = try await Self.rows(path)
    #expect(Array(after.runs.prefix(3)) == before.runs)  // the old rows as they were
    #expect(after.chunks.prefix(before.chunks.count) == before.chunks[...])
    #expect(after.points == ["new3", "new3", "new3", "new3", "new4", "new4", "new4", "new4"])
    // Append-only, like the other tables.
    let raw = try DatabaseQueue(path: path)
    await #expect(throws: (any Error).self) {
      try await raw.write { db in try db.execute(sql: "UPDATE run_point SET pass_rate = 1") }
    }
    await #expect(throws: (any Error).self) {
      try await raw.write { db in try db.execute(sql: "DELETE FROM run_point") }
    }
    try raw.close()
  }

  /// A run's rows in an SQLite history: its records' text, its chunks, and the run ids of its points.
  static func rows(_ path: String) async throws -> (runs: [String], chunks: [Data], points: [String]) {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try await queue.read { db in
      (
        try String.fetchAll(db, sql: "SELECT record FROM run ORDER BY seq"),
        try Data.fetchAll(db, sql: "SELECT bytes FROM run_chunk ORDER BY seq, n"),
        try db.tableExists("run_point")
          ? try String.fetchAll(db, sql: "SELECT id FROM run_point ORDER BY seq, suite") : []
      )
    }
  }

  /// A point with a figure SQLite cannot keep exactly (NaN: kept as NULL) is not kept; its run's point is
  /// computed from its record.
  @Test(arguments: HistoryBackend.available)
  func aPointThatCannotBeKeptExactlyIsComputed(_ backend: HistoryBackend) async throws {
    let fixture = try await backend.makeFixture()
    let store = try await fixture.open()
    var record = Self.record("nan", at: 0, cases: 30)
    record.cases[1].score = .nan  // suite a
    _ = try await store.append(record)
    #expect(try await Self.pointRows(fixture) == 3)  // b, unjudged, empty
    let stored = try #require(try await store.record(id: "nan"))
    let a = try await store.trendPoints(suite: "a", limit: 1)
    #expect(a.count == 1)
    #expect(a.first?.meanScore?.isNaN == true)
    #expect(a.first?.passRate == SuiteTrend.Point(run: stored, suite: "a").passRate)
    #expect(a.first?.latencyP95Ms == SuiteTrend.Point(run: stored, suite: "a").latencyP95Ms)
    #expect(try await store.trendPoints(suite: "b", limit: 1) == [SuiteTrend.Point(run: stored, suite: "b")])
    await store.close()

    let start = Date(timeIntervalSince1970: 0)
    let point = { (figure: Double?) in
      SuiteTrend.Point(
        runID: "", startedAt: start, passRate: 0.5, meanScore: figure, latencyP50Ms: nil, latencyP95Ms: 1)
    }
    #expect(StoredPoint.isKept(point(nil)))
    #expect(StoredPoint.isKept(point(0)))
    #expect(StoredPoint.isKept(point(.infinity)))
    #expect(!StoredPoint.isKept(point(.nan)))
    #expect(!StoredPoint.isKept(point(-0.0)))
  }

  /// A PostgreSQL role without rights on `evalgate_run_point` (granted the first version's tables only, as a CI
  /// job is) appends without points and charts from the records; the owner's runs keep theirs.
  @Test func aRoleWithoutThePointTableChartsFromTheRecords() async throws {
    guard HistoryBackend.postgresURL != nil else {
      try Test.cancel("\(HistoryBackend.postgresVariable) is unset: the PostgreSQL role test is skipped")
    }
    let fixture = try await HistoryBackend.postgres.makeFixture()
    let owner = try await fixture.open()
    _ = try await owner.append(Self.record("by-owner", at: 0))
    let ci = try await PostgresHistoryStore(
      url: PostgresURL(parsing: try await fixture.ciRole(), environment: ProcessInfo.processInfo.environment))
    _ = try await ci.append(Self.record("by-ci", at: 1, salt: 3))
    #expect(try await Self.pointRows(fixture) == 4)  // the owner's run only
    let expected = try await owner.records(suite: nil, limit: nil).map { SuiteTrend.Point(run: $0, suite: "a") }
    #expect(expected.map(\.runID) == ["by-owner", "by-ci"])
    #expect(try await ci.trendPoints(suite: "a", limit: 9) == expected)
    #expect(try await owner.trendPoints(suite: "a", limit: 9) == expected)
    await ci.close()
    await owner.close()
  }

  /// A PostgreSQL database at version 2, written by a CI role that may not create the point table: the owner's
  /// next open adds it; the runs before chart from their records, the owner's keep their points, one chain.
  @Test func aPostgresV2DatabaseMigratesForTheOwner() async throws {
    guard HistoryBackend.postgresURL != nil else {
      try Test.cancel("\(HistoryBackend.postgresVariable) is unset: the PostgreSQL migration test is skipped")
    }
    let fixture = try await HistoryBackend.postgres.makeFixture()
    let url = try await fixture.ciRole(
      after: [
        "CREATE TABLE evalgate_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
      ] + PostgresHistoryStore.migrations[0] + PostgresHistoryStore.migrations[1]
        + ["INSERT INTO evalgate_schema (version) VALUES (1), (2)"])
    let ci = try await PostgresHistoryStore(
      url: PostgresURL(parsing: url, environment: ProcessInfo.processInfo.environment))
    for n in 0..<3 { _ = try await ci.append(Self.record("old\(n)", at: Double(n), salt: n)) }
    #expect(try await ci.trendPoints(suite: "a", limit: 9).map(\.runID) == ["old0", "old1", "old2"])
    await ci.close()

    let owner = try await fixture.open()
    #expect(try await Self.pointRows(fixture) == 0)
    for n in 3..<5 { _ = try await owner.append(Self.record("new\(n)", at: Double(n), salt: n)) }
    #expect(try await Self.pointRows(fixture) == 2 * 4)
    let points = try await owner.trendPoints(suite: "b", limit: 9)
    let computed = try await Self.computed(owner, suite: "b", limit: 9)
    #expect(points.map(\.runID) == ["old0", "old1", "old2", "new3", "new4"])
    #expect(points == computed)
    #expect(Self.bits(points) == Self.bits(computed))
    #expect(try await owner.verifyChain().broken == nil)
    await owner.close()
  }
}
