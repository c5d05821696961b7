import Crypto
import Foundation

/// The hash chain over run records: each record's hash is SHA-256 of its canonical JSON (sorted keys,
/// ISO 8601 dates with milliseconds, `hash` empty), which includes the previous record's hash. Changing,
/// removing or reordering any record breaks every link after it.
public enum AuditChain {
  /// The canonical bytes a record's hash covers.
  public static func canonicalBytes(_ record: RunRecord) throws -> Data {
    var unhashed = record
    unhashed.audit.hash = ""
    return try encode(unhashed)
  }

  /// `encoder.encode(record)`, byte for byte, made case by case (``RunRecordDraft``): a large run's record is
  /// never built whole as an encoder tree (at 100,000 cases that tree was the run's peak memory).
  public static func encode(_ record: RunRecord) throws -> Data { try RunRecordDraft(record).encoded() }

  /// ``encode(_:)`` as text.
  public static func encodedText(_ record: RunRecord) throws -> String {
    String(decoding: try encode(record), as: UTF8.self)
  }

  /// Hex SHA-256 of ``encode(_:)``'s bytes, hashed piece by piece (never joined).
  static func digest(_ record: RunRecord) throws -> String { try RunRecordDraft(record).digest() }

  /// The encoder used for canonical bytes and for storing records: sorted keys, no escaped slashes.
  public static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = UTCTimestamp.encodingStrategy(milliseconds: true)
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return encoder
  }

  /// The matching decoder.
  public static var decoder: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let text = try decoder.singleValueContainer().decode(String.self)
      guard let date = Self.date(text) else {
        throw DecodingError.dataCorrupted(
          .init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 timestamp: \(text)"))
      }
      return date
    }
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return decoder
  }

  /// Hex SHA-256 of some bytes.
  public static func sha256(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
  }

  /// SHA-256 of bytes handed over in pieces (a large results.json is never held whole), as lowercase hex:
  /// the same text as ``sha256(_:)`` of the pieces joined.
  public struct Digest: Sendable {
    private var hasher = SHA256()

    /// A digest of nothing yet.
    public init() {}

    /// Adds the next piece.
    public mutating func update(_ piece: Data) { hasher.update(data: piece) }

    /// Adds the next piece.
    public mutating func update(_ piece: [UInt8]) { hasher.update(data: piece) }

    /// Adds the next piece.
    public mutating func update(_ piece: UnsafeRawBufferPointer) { hasher.update(bufferPointer: piece) }

    /// The hex digest of every piece so far.
    public func hex() -> String { Hex.lowercase(hasher.finalize()) }
  }

  /// Links `record` after a record whose hash is `previousHash` ("" for the first): sets both chain fields.
  public static func seal(_ record: RunRecord, after previousHash: String) throws -> RunRecord {
    var sealed = record
    sealed.audit.previousHash = previousHash
    sealed.audit.hash = ""
    sealed.audit.hash = try digest(sealed)
    return sealed
  }

  /// The first broken link of a chain, in append order.
  public struct Break: Sendable, Hashable, Error, CustomStringConvertible {
    /// The position of the broken record (0-based) in append order.
    public var position: Int
    /// The broken record's run id.
    public var runID: String
    /// What is wrong with it.
    public var reason: String

    /// A one-line description naming the record.
    public var description: String { "record \(position + 1) (run \(runID)): \(reason)" }
  }

  /// Recomputes every hash and link; returns the first broken record, or `nil` when the chain is intact (a
  /// ``ChainVerifier`` over the records in turn).
  public static func verify(_ records: [RunRecord]) -> Break? {
    var verifier = ChainVerifier()
    for record in records {
      if let broken = verifier.link(record) { return broken }
      var unhashed = record
      unhashed.audit.hash = ""
      if let broken = verifier.contents(record, hashedAs: try? digest(unhashed)) { return broken }
      verifier.accept(record)
    }
    return nil
  }

  static func short(_ hash: String) -> String { hash.isEmpty ? "(none)" : String(hash.prefix(12)) }

  /// A date as records encode it.
  public static func encodedDate(_ date: Date) -> String { timestamp(date) }

  /// The date a record's text `text` (``encodedDate(_:)``) decodes to; `nil` when it is not one.
  public static func decodedDate(_ text: String) -> Date? { date(text) }

  /// `2026-12-02T12:00:00.123Z`: whole milliseconds, so a date survives a round trip through the text exactly.
  static func timestamp(_ date: Date) -> String { UTCTimestamp.milliseconds(date) }

  static func date(_ text: String) -> Date? {
    // The encoder writes three digits; a record is read only as written.
    guard text.utf8.count == 24 else { return nil }
    return UTCTimestamp.date(text)
  }
}
