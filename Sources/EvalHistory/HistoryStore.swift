import EvalCore
import Foundation

/// Where run records are kept: append-only, in append order, each sealed into the audit chain as it is
/// appended (the store reads the last hash and inserts in one transaction, so concurrent appends from
/// several processes each link to the one before).
public protocol HistoryStore: Sendable {
  /// Seals `draft` after the newest record and appends it; returns the sealed record without its cases. A
  /// record whose run id is already stored is not appended again (a flushed spool file that another run also
  /// flushed): the stored one's header comes back. The draft's case bytes are read, not taken: once the record
  /// is committed the draft's header is the sealed one; when the append throws, the draft is as it was (to be
  /// spooled).
  func append(_ draft: inout RunRecordDraft) async throws -> RunRecord

  /// The newest `limit` records (all when `nil`), of `suite` when given, oldest first.
  func records(suite: String?, limit: Int?) async throws -> [RunRecord]

  /// The newest `limit` runs (all when `nil`), of `suite` when given, oldest first, without their records: to
  /// read a window one record at a time (``record(at:)``), never all of it at once.
  func entries(suite: String?, limit: Int?) async throws -> [HistoryEntry]

  /// The newest `limit` runs of `suite`, oldest first, each with the suite's point as kept when the run was
  /// appended (``StoredPoint``): `nil` for a run stored before the points were kept, or whose point could not
  /// be kept exactly (``trendPoints(suite:limit:)`` computes those from the record).
  func storedPoints(suite: String, limit: Int) async throws -> [(entry: HistoryEntry, point: SuiteTrend.Point?)]

  /// The stored JSON of the run at `position` (an ``HistoryEntry/position``), undecoded: ``record(at:)``
  /// decodes it whole, `RunRecordReader` case by case.
  /// - Throws: `HistoryError.corruptRecord` when there is none there.
  func storedRecord(at position: Int) async throws -> Data

  /// The row of the run at `position`, its cases left in their chunks: to read a record of any size in bounded
  /// memory (``StoredRecordReader``).
  /// - Throws: `HistoryError.corruptRecord` when there is none there.
  func storedRow(at position: Int) async throws -> StoredRecord

  /// The first chunk of the cases of the run at `position` after chunk `n` (`-1` for the first), with its
  /// number; `nil` after the last (or for a record stored whole).
  func caseChunk(at position: Int, after n: Int) async throws -> (n: Int, bytes: Data)?

  /// As ``caseChunk(at:after:)``, the chunk's bytes put in `buffer` (its storage reused from the chunk before):
  /// the chunk's number, `nil` after the last.
  func caseChunk(at position: Int, after n: Int, into buffer: ChunkBuffer) async throws -> Int?

  /// The run with this run id, or the one whose id starts with it when that is unique; `nil` when none does.
  /// - Throws: `HistoryError.ambiguousID` when several runs' ids start with it.
  func entry(id: String) async throws -> HistoryEntry?

  /// The suites of the newest `limit` runs, sorted, without reading their records.
  func suites(recent limit: Int) async throws -> [String]

  /// The record with this run id, or the one whose id starts with it when that is unique.
  func record(id: String) async throws -> RunRecord?

  /// Closes connections.
  func close() async
}

extension HistoryStore {
  /// The chunk as ``caseChunk(at:after:)`` gives it, held by `buffer`.
  public func caseChunk(at position: Int, after n: Int, into buffer: ChunkBuffer) async throws -> Int? {
    guard let chunk = try await caseChunk(at: position, after: n) else { return nil }
    buffer.bytes = chunk.bytes
    return chunk.n
  }

  /// Seals `record` after the newest record and appends it; returns the sealed record, or the stored one when
  /// its run id was already stored.
  public func append(_ record: RunRecord) async throws -> RunRecord {
    var draft = RunRecordDraft(record)
    var sealed = try await append(&draft)
    // A draft the store sealed carries its hash; one it did not was already stored.
    guard !draft.header.audit.hash.isEmpty else { return try await self.record(id: sealed.id) ?? sealed }
    sealed.cases = record.cases
    return sealed
  }
}
