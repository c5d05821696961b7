import EvalCore
import Foundation

extension HistoryStore {
  /// ``AuditChain/verify(_:)`` over the whole history, one record at a time in append order (a
  /// ``ChainVerifier``): each record's header from its row and its hash recomputed over its stored case bytes
  /// chunk by chunk (``RecordHasher``), so what is held is the list of entries, one row and one chunk, never a
  /// record's text or cases. Records stored whole and in chunks verify as one chain. When a record's stored
  /// bytes do not hash to its recorded hash, its cases are read again, parsed and encoded as the encoder would
  /// (what verifying a decoded record does): a record is named as altered only when that does not match either.
  /// - Returns: the verifier (how many records are intact, the newest) and the first broken record, if any (one
  ///   that cannot be read is broken too).
  /// - Throws: `HistoryError.database` when the store cannot be read.
  public func verifyChain() async throws -> (verifier: ChainVerifier, broken: AuditChain.Break?) {
    var verifier = ChainVerifier()
    for entry in try await entries(suite: nil, limit: nil) {
      let reader: StoredRecordReader
      do {
        reader = try await StoredRecordReader(self, at: entry.position)
      } catch HistoryError.corruptRecord(_, let reason) {
        return (verifier, verifier.unreadable(entry.id, because: "it cannot be read: \(reason)"))
      }
      let header = reader.header
      if let broken = verifier.link(header) { return (verifier, broken) }
      var actual: String?
      do {
        var stored = try RecordHasher(header: header)
        try await reader.forEachCasePiece { try stored.update($0) }
        actual = try stored.hex()
        if actual != header.audit.hash {
          var reencoded = try RecordHasher(header: header, mode: .reencoded)
          try await reader.forEachCasePiece { try reencoded.update($0) }
          actual = try reencoded.hex()
        }
      } catch let error as DecodingError {
        return (verifier, verifier.unreadable(header.id, because: "its cases cannot be read: \(error)"))
      } catch is EncodingError {
        actual = nil  // a header the encoder refuses: "it cannot be encoded"
      }
      if let broken = verifier.contents(header, hashedAs: actual) { return (verifier, broken) }
      verifier.accept(header)
    }
    return (verifier, nil)
  }
}
