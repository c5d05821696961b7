import EvalCore
import Foundation

/// A stored record read in bounded memory: its header (the record without its cases) decoded from the run's
/// row, and its cases taken from the store one chunk at a time (``HistoryStore/caseChunk(at:after:into:)``), parsed
/// as they arrive (``CaseListParser``), hashed (``HistoryStore/verifyChain()``) or printed. What it holds is
/// the row and one chunk: a record of 1,000,000 cases (about 95 MB of JSON in a hundred chunks) is never put
/// back together. A record stored whole (small, or written before chunks) is read from its row, which holds it.
public struct StoredRecordReader: Sendable {
  /// The record with an empty case list.
  public let header: RunRecord
  /// The run's row.
  public let row: StoredRecord
  private let store: any HistoryStore
  /// Where the case list is in the row's text, brackets included.
  private let list: Range<Int>

  /// Reads the row of the run at `position` in `store` and decodes its header.
  /// - Throws: `HistoryError.corruptRecord` when there is no run there or its row is not a record;
  ///   `HistoryError.database` when the store cannot be read.
  public init(_ store: any HistoryStore, at position: Int) async throws {
    let row = try await store.storedRow(at: position)
    let text = row.text
    let list: Range<Int>
    let header: RunRecord
    do {
      list = try RunRecordReader.caseList(in: text)
      if row.chunked {
        guard list.count == 2 else {
          throw HistoryError.corruptRecord(
            position: position, reason: "a record stored in chunks has cases in its header")
        }
        header = try AuditChain.decoder.decode(RunRecord.self, from: text)
      } else {
        let base = text.startIndex
        var head = Data(text[base..<base + list.lowerBound])
        head.append(contentsOf: "[]".utf8)
        head.append(text[(base + list.upperBound)...])
        header = try AuditChain.decoder.decode(RunRecord.self, from: head)
      }
    } catch let error as HistoryError {
      throw error
    } catch {
      throw HistoryError.corruptRecord(position: position, reason: "\(error)")
    }
    self.header = header
    self.row = row
    self.store = store
    self.list = list
  }

  /// Calls `body` with the cases' JSON (between the list's brackets), in order: each chunk as the store gives
  /// it, or the part of a whole row's text.
  /// - Throws: `HistoryError.database` when a chunk cannot be read; what `body` throws.
  public func forEachCasePiece(_ body: (Data) throws -> Void) async throws {
    guard row.chunked else {
      let base = row.text.startIndex
      try body(row.text[(base + list.lowerBound + 1)..<(base + list.upperBound - 1)])
      return
    }
    var n = -1
    let buffer = ChunkBuffer()
    while let next = try await store.caseChunk(at: row.position, after: n, into: buffer) {
      try body(buffer.bytes)
      n = next
    }
  }

  /// Calls `body` with each case, in order, parsed as its chunk arrives.
  /// - Throws: `HistoryError.corruptRecord` when the cases are not a list of cases; `HistoryError.database`
  ///   when a chunk cannot be read; what `body` throws.
  public func forEachCase(_ body: (RunRecord.CaseOutcome) throws -> Void) async throws {
    var parser = CaseListParser()
    do {
      try await forEachCasePiece { try parser.feed($0, body) }
      try parser.finish()
    } catch let error as DecodingError {
      throw HistoryError.corruptRecord(position: row.position, reason: "\(error)")
    }
  }

  /// Calls `body` with the record's whole JSON text as stored, in order, in pieces: the row's text up to the
  /// case list's contents, each chunk, and the rest of the row's text (a whole row in one piece).
  /// - Throws: `HistoryError.database` when a chunk cannot be read; what `body` throws.
  public func forEachTextPiece(_ body: (Data) throws -> Void) async throws {
    let text = row.text
    guard row.chunked else { return try body(text) }
    let base = text.startIndex
    try body(text[base..<(base + list.lowerBound + 1)])
    try await forEachCasePiece(body)
    try body(text[(base + list.upperBound - 1)...])
  }
}
