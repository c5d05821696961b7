import EvalCore
import Foundation
import Synchronization
import Testing

@testable import EvalHistory

/// Records read back in bounded memory: case by case from their chunks (``StoredRecordReader``), verified
/// record by record (``HistoryStore/verifyChain()``), with the drift window and trend points read the same
/// way; a tampered or broken chunk is named by verify.
struct HistoryStreamTests {
  /// A history of `backend` holding a record stored whole and two in 4 KB chunks: the records as appended.
  static func history(_ backend: HistoryBackend) async throws -> (HistoryFixture, any HistoryStore, [RunRecord]) {
    let fixture = try await backend.makeFixture()
    let store = try await HistoryChunkTests.store(fixture, chunkBytes: 4_096)
    var records: [RunRecord] = []
    for record in [
      HistoryTestSupport.record("r0", cases: 3, at: 0),
      HistoryTestSupport.record("r1", cases: 700, at: 1) { $0 % 9 != 0 },
      HistoryTestSupport.record("r2", cases: 900, at: 2) { $0 % 4 != 0 },
    ] {
      var sealed = try await store.append(record)
      sealed.cases = record.cases
      records.append(sealed)
    }
    return (fixture, store, records)
  }

  @Test(arguments: HistoryBackend.available)
  func aRecordIsReadChunkByChunkAsItsWholeText(_ backend: HistoryBackend) async throws {
    let (_, store, records) = try await Self.history(backend)
    let entries = try await store.entries(suite: nil, limit: nil)
    for (entry, record) in zip(entries, records) {
      let reader = try await StoredRecordReader(store, at: entry.position)
      var header = record
      header.cases = []
      #expect(reader.header == header)
      #expect(reader.row.chunked == (record.cases.count > 3))
      var cases: [RunRecord.CaseOutcome] = []
      try await reader.forEachCase { cases.append($0) }
      #expect(cases == record.cases)
      var pieces: [Data] = []
      try await reader.forEachCasePiece { pieces.append($0) }
      if reader.row.chunked {
        #expect(pieces.count > 10)
        #expect(pieces.allSatisfy { $0.count <= 4_096 })
      }
      // The whole text in pieces is the stored text, byte for byte.
      var text = Data()
      try await reader.forEachTextPiece { text.append($0) }
      #expect(text == (try await store.storedRecord(at: entry.position)))
      #expect(text == (try AuditChain.encode(record)))
    }
    #expect(try await store.entry(id: "r1") == entries[1])
    #expect(try await store.entry(id: "nope") == nil)
    await #expect(throws: HistoryError.self) { try await store.entry(id: "r") }
    await #expect(throws: HistoryError.self) { try await StoredRecordReader(store, at: 99) }
    await store.close()
  }

  @Test(arguments: HistoryBackend.available)
  func verifyDriftAndTrendPointsReadChunkByChunkAreThoseOfTheWholeRecords(_ backend: HistoryBackend) async throws {
    let (_, inner, records) = try await Self.history(backend)
    let store = PieceCountingStore(inner)
    let (verifier, broken) = try await store.verifyChain()
    #expect(broken == nil)
    #expect(verifier.count == 3)
    #expect(verifier.newest?.id == "r2")
    #expect(verifier.newest?.audit.hash == records[2].audit.hash)
    #expect(AuditChain.verify(records) == nil)

    let detector = DriftDetector(alpha: 0.5)
    #expect(
      try await store.drift(suite: "s", window: 3, detector: detector) == detector.analyze(suite: "s", window: records))
    #expect(try await store.trendPoints(suite: "s", limit: 3) == records.map { SuiteTrend.Point(run: $0, suite: "s") })
    // Nothing was read whole: rows of a header (or a three-case record) and chunks of at most 4 KB.
    let (whole, largest) = store.counts
    #expect(whole == 0)
    #expect(largest <= 4_096)
    await store.close()
  }

  /// The raw SQL that changes one chunk of the run at `seq` behind the store's back (its trigger dropped).
  static func alterChunk(_ fixture: HistoryFixture, seq: Int, n: Int, set expression: (String) -> String) -> [String] {
    if case .postgres = fixture.location {
      return [
        "DROP TRIGGER IF EXISTS evalgate_run_chunk_append_only ON evalgate_run_chunk",
        "UPDATE evalgate_run_chunk SET bytes = \(expression("postgres")) WHERE seq = \(seq) AND n = \(n)",
      ]
    }
    return [
      "DROP TRIGGER IF EXISTS run_chunk_no_update",
      "UPDATE run_chunk SET bytes = \(expression("sqlite")) WHERE seq = \(seq) AND n = \(n)",
    ]
  }

  /// `replace(bytes, from, to)` in either dialect.
  static func replace(_ from: String, _ to: String) -> (String) -> String {
    { dialect in
      dialect == "postgres"
        ? "convert_to(replace(convert_from(bytes, 'UTF8'), '\(from)', '\(to)'), 'UTF8')"
        : "CAST(replace(CAST(bytes AS TEXT), '\(from)', '\(to)') AS BLOB)"
    }
  }

  @Test(arguments: HistoryBackend.available)
  func aTamperedOrBrokenChunkIsNamedByVerify(_ backend: HistoryBackend) async throws {
    let (fixture, store, _) = try await Self.history(backend)
    let entries = try await store.entries(suite: nil, limit: nil)
    // The same JSON spelled otherwise (a space between cases): not what was hashed, but the same record, as
    // verifying the decoded records found it: intact.
    try await fixture.execute(
      Self.alterChunk(fixture, seq: entries[1].position, n: 1, set: Self.replace("},{", "}, {")))
    #expect(try await store.verifyChain().broken == nil)

    // An outcome changed in the newest record's second chunk: that record is named, as altered.
    try await fixture.execute(
      Self.alterChunk(fixture, seq: entries[2].position, n: 1, set: Self.replace("\"passed\"", "\"failed\"")))
    let (verifier, altered) = try await store.verifyChain()
    #expect(altered?.runID == "r2")
    #expect(altered?.position == 2)
    #expect(altered?.description.contains("altered") == true, "\(String(describing: altered))")
    #expect(verifier.count == 2)

    // A chunk of the middle record cut short: its cases cannot be read; verify names it, the readers throw.
    try await fixture.execute(
      Self.alterChunk(fixture, seq: entries[1].position, n: 2) { dialect in
        dialect == "postgres" ? "substring(bytes from 1 for length(bytes) - 7)" : "substr(bytes, 1, length(bytes) - 7)"
      })
    let broken = try await store.verifyChain().broken
    #expect(broken?.runID == "r1")
    #expect(broken?.position == 1)
    #expect(broken?.description.contains("cannot be read") == true, "\(String(describing: broken))")
    await #expect(throws: HistoryError.self) { try await store.drift(suite: "s", window: 3) }
    // The trend points kept when the runs were appended do not read the chunks; a run without one does.
    #expect(try await store.trendPoints(suite: "s", limit: 3).map(\.runID) == ["r0", "r1", "r2"])
    try await fixture.execute(HistoryPointTests.dropPoints(fixture))
    await #expect(throws: HistoryError.self) { try await store.trendPoints(suite: "s", limit: 3) }
    await store.close()
  }
}

/// A store that passes every call on and counts what a reader in bounded memory must not do: read a record
/// whole; and the largest row or chunk it handed over.
final class PieceCountingStore: HistoryStore {
  private let inner: any HistoryStore
  private let state = Mutex((whole: 0, largest: 0))

  init(_ inner: any HistoryStore) { self.inner = inner }

  /// Calls that read a record whole, and the largest piece handed over.
  var counts: (whole: Int, largest: Int) { state.withLock { $0 } }

  private func sawWhole() { state.withLock { $0.whole += 1 } }
  private func saw(_ bytes: Data) { state.withLock { $0.largest = max($0.largest, bytes.count) } }

  func append(_ draft: inout RunRecordDraft) async throws -> RunRecord { try await inner.append(&draft) }
  func records(suite: String?, limit: Int?) async throws -> [RunRecord] {
    sawWhole()
    return try await inner.records(suite: suite, limit: limit)
  }
  func entries(suite: String?, limit: Int?) async throws -> [HistoryEntry] {
    try await inner.entries(suite: suite, limit: limit)
  }
  func storedPoints(suite: String, limit: Int) async throws -> [(entry: HistoryEntry, point: SuiteTrend.Point?)] {
    try await inner.storedPoints(suite: suite, limit: limit)
  }
  func storedRecord(at position: Int) async throws -> Data {
    sawWhole()
    return try await inner.storedRecord(at: position)
  }
  func storedRow(at position: Int) async throws -> StoredRecord {
    let row = try await inner.storedRow(at: position)
    if row.chunked { saw(row.text) }  // a record stored whole is its row
    return row
  }
  func caseChunk(at position: Int, after n: Int) async throws -> (n: Int, bytes: Data)? {
    let chunk = try await inner.caseChunk(at: position, after: n)
    if let chunk { saw(chunk.bytes) }
    return chunk
  }
  func entry(id: String) async throws -> HistoryEntry? { try await inner.entry(id: id) }
  func suites(recent limit: Int) async throws -> [String] { try await inner.suites(recent: limit) }
  func record(id: String) async throws -> RunRecord? {
    sawWhole()
    return try await inner.record(id: id)
  }
  func close() async { await inner.close() }
}
