import EvalCore
import EvalHistory
import Foundation
import Testing

/// Reading a window one record at a time: the entries, a record by position, the recent suites, and the drift
/// report and trend points built from them, on SQLite and on PostgreSQL.
struct HistoryWindowTests {
  @Test(arguments: HistoryBackend.available)
  func entriesListTheNewestRunsOldestFirstAndReadOneByOne(_ backend: HistoryBackend) async throws {
    let store = try await backend.makeFixture().open()
    for n in 0..<5 {
      _ = try await store.append(HistoryTestSupport.record("r\(n)", suite: n % 2 == 0 ? "a" : "b", at: Double(n)))
    }
    #expect(try await store.entries(suite: nil, limit: nil).map(\.id) == ["r0", "r1", "r2", "r3", "r4"])
    #expect(try await store.entries(suite: "a", limit: nil).map(\.id) == ["r0", "r2", "r4"])
    #expect(try await store.entries(suite: "a", limit: 2).map(\.id) == ["r2", "r4"])
    #expect(try await store.entries(suite: nil, limit: 1).map(\.id) == ["r4"])
    #expect(try await store.entries(suite: "c", limit: 3).isEmpty)
    let whole = try await store.records(suite: "b", limit: nil)
    var read: [RunRecord] = []
    for entry in try await store.entries(suite: "b", limit: nil) {
      read.append(try await store.record(at: entry.position))
    }
    #expect(read == whole)
    #expect(read.allSatisfy { !$0.audit.hash.isEmpty })
    let positions = try await store.entries(suite: nil, limit: nil).map(\.position)
    #expect(positions == positions.sorted())
    await #expect(throws: HistoryError.self) { try await store.record(at: (positions.last ?? 0) + 100) }
    #expect(try await store.suites(recent: 100) == ["a", "b"])
    #expect(try await store.suites(recent: 1) == ["a"])
    await store.close()
  }

  /// The drift report and the trend points read record by record are those of the whole window; the record
  /// passed as known is not read back (its stored copy is tampered with, and does not show).
  @Test(arguments: HistoryBackend.available)
  func driftAndTrendPointsAreThoseOfTheWholeWindow(_ backend: HistoryBackend) async throws {
    let fixture = try await backend.makeFixture()
    let store = try await fixture.open()
    var stored: [RunRecord] = []
    for n in 0..<12 {
      var record = HistoryTestSupport.record("r\(n)", cases: 60, at: Double(n)) { $0 >= 3 * n }
      for i in record.cases.indices { record.cases[i].latencyMs = Double(100 + n * 10 + i) }
      if n % 3 == 0 { record.cases.removeLast(n) }
      stored.append(try await store.append(record))
      _ = try await store.append(HistoryTestSupport.record("other\(n)", suite: "o", at: Double(n)))
    }
    let window = try await store.records(suite: "s", limit: 10)
    #expect(window.map(\.id) == stored.suffix(10).map(\.id))
    let detector = DriftDetector(alpha: 0.05)
    let expected = detector.analyze(suite: "s", window: window)
    #expect(expected.drifting)
    #expect(try await store.drift(suite: "s", window: 10, detector: detector) == expected)
    #expect(try await store.drift(suite: "s", window: 10, detector: detector, known: stored.last) == expected)
    #expect(
      try await store.drift(suite: "s", window: 3) == DriftDetector().analyze(suite: "s", window: window.suffix(3)))
    #expect(try await store.drift(suite: "x", window: 10) == DriftDetector().analyze(suite: "x", window: []))
    #expect(try await store.trendPoints(suite: "s", limit: 9) == SuiteTrend(suite: "s", runs: window, window: 9).points)

    var known = try #require(stored.last)
    known.cases = known.cases.map {
      var c = $0; c.outcome = .passed; return c
    }
    let fromKnown = try await store.drift(suite: "s", window: 10, detector: detector, known: known)
    #expect(fromKnown.passRate.last == 1)
    #expect(fromKnown == detector.analyze(suite: "s", window: window.dropLast() + [known]))
    await store.close()
  }

  /// A drift test begun on the runs before a run (while its reports are written) and finished once it is
  /// appended is the whole window's, on records stored in chunks; when the runs before it changed in between
  /// (another run appended first) or the detector differs, the window is read whole again and still is. A
  /// window that would be under three runs is not begun.
  @Test(arguments: HistoryBackend.available)
  func aDriftTestBegunBeforeTheRunIsAppendedIsTheWholeWindows(_ backend: HistoryBackend) async throws {
    let fixture = try await backend.makeFixture()
    let store = try await HistoryChunkTests.store(fixture, chunkBytes: 2_048)
    func run(_ n: Int) -> RunRecord {
      var record = HistoryTestSupport.record("r\(n)", cases: 60, at: Double(n)) { $0 >= 3 * n }
      for i in record.cases.indices { record.cases[i].latencyMs = Double(100 + n * 10 + i) / 7 }
      if n % 3 == 0 { record.cases.removeLast(n) }
      if n % 4 == 1 { record.cases.reverse() }  // another order: the places are looked up
      return record
    }
    let detector = DriftDetector(alpha: 0.05)
    _ = try await store.append(run(0))
    #expect(try await store.startDrift(suite: "s", window: 10, detector: detector) == nil)
    for n in 1..<11 { _ = try await store.append(run(n)) }
    #expect(try await store.startDrift(suite: "x", window: 10, detector: detector) == nil)

    let started = try #require(try await store.startDrift(suite: "s", window: 10, detector: detector))
    _ = try await store.append(run(11))
    let window = try await store.records(suite: "s", limit: 10)
    let expected = detector.analyze(suite: "s", window: window)
    #expect(expected.drifting)
    #expect(try await store.drift(suite: "s", window: 10, detector: detector, started: started) == expected)
    // Begun for another detector: read whole.
    let strict = DriftDetector(alpha: 0.001, metric: "pass_rate")
    #expect(
      try await store.drift(suite: "s", window: 10, detector: strict, started: started)
        == strict.analyze(suite: "s", window: window))

    // Another run appended after the test was begun: the window is no longer the runs read and this one.
    let begun = try #require(try await store.startDrift(suite: "s", window: 10, detector: detector))
    _ = try await store.append(run(12))
    _ = try await store.append(run(13))
    let later = try await store.records(suite: "s", limit: 10)
    #expect(
      try await store.drift(suite: "s", window: 10, detector: detector, started: begun)
        == detector.analyze(suite: "s", window: later))
    await store.close()
  }
}
