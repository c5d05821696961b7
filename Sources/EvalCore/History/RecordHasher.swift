import Foundation

/// A stored record's hash (``AuditChain``: SHA-256 of its canonical JSON with `hash` empty) computed as its case
/// bytes arrive, piece by piece, so a record of 1,000,000 cases is verified without holding its text or its
/// cases. The header (the record without its cases) is encoded again with its hash emptied and framed around
/// the cases' bytes.
///
/// Two ways to take the cases: ``Mode/stored`` hashes their stored bytes as they are (the encoder's own output,
/// which is what was hashed when the record was sealed); ``Mode/reencoded`` parses each case and hashes its
/// canonical encoding, as verifying a decoded record does (a record whose cases were stored in some other
/// spelling of the same JSON hashes as they decode).
public struct RecordHasher: Sendable {
  /// How the cases are hashed.
  public enum Mode: Sendable {
    /// Their bytes as stored.
    case stored
    /// Each case parsed and encoded again.
    case reencoded
  }

  private let mode: Mode
  private var digest = AuditChain.Digest()
  private let tail: [UInt8]
  private var parser = CaseListParser()
  private var writer = JSONWriter()

  /// A hasher of the record whose header (its cases left out; its `hash` as recorded, emptied here) is `header`.
  /// - Throws: when the header cannot be encoded.
  public init(header: RunRecord, mode: Mode = .stored) throws {
    var unhashed = header
    unhashed.audit.hash = ""
    let (head, tail) = try RunRecordDraft.frame(unhashed)
    digest.update(head)
    self.tail = tail
    self.mode = mode
  }

  /// Hashes the next piece of the cases' bytes (between the list's brackets).
  /// - Throws: in ``Mode/reencoded``, `DecodingError.dataCorrupted` when the bytes are not a list of cases.
  public mutating func update(_ piece: UnsafeRawBufferPointer) throws {
    switch mode {
    case .stored: digest.update(piece)
    case .reencoded:
      var writer = self.writer
      self.writer = JSONWriter()  // the local one is unique: no copy of its bytes
      var first = parser.count == 0
      try parser.feed(piece) { outcome in
        if !first { writer.raw(UInt8(ascii: ",")) }
        first = false
        outcome.write(to: &writer)
      }
      digest.update(writer.bytes)
      writer.bytes.removeAll(keepingCapacity: true)
      self.writer = writer
    }
  }

  /// Hashes the next piece of the cases' bytes.
  /// - Throws: as ``update(_:)-(UnsafeRawBufferPointer)``.
  public mutating func update(_ piece: Data) throws { try piece.withUnsafeBytes { try update($0) } }

  /// The record's hash (hex), once every piece is in.
  /// - Throws: in ``Mode/reencoded``, when the cases end inside a case.
  public func hex() throws -> String {
    if case .reencoded = mode { try parser.finish() }
    var digest = digest
    digest.update(tail)
    return digest.hex()
  }
}
