import Foundation

/// A stored record's JSON (``AuditChain/encode(_:)``) read without decoding it whole: the record without its
/// cases (``header``) decoded as usual, and its cases parsed one at a time as they are iterated, so reading a
/// large run for the drift check or a trend point costs its bytes and one case, not an encoder tree and an
/// array of every case. The cases are checked once when the reader is made (a malformed record throws there,
/// as `JSONDecoder` would), so iterating them cannot fail.
public struct RunRecordReader: Sendable {
  /// The record with an empty case list.
  public let header: RunRecord
  /// The record's bytes.
  private let bytes: Data
  /// The byte offsets of the case list's contents, between its brackets.
  private let list: Range<Int>

  /// Reads `bytes`, a record's JSON.
  /// - Throws: `DecodingError.dataCorrupted` when it is not a record.
  public init(_ bytes: Data) throws {
    // Offsets from the first byte (`bytes` may be a slice).
    let found: Range<Int>? = try bytes.withUnsafeBytes { raw in
      var scanner = JSONScanner(raw)
      return try scanner.topLevelValue(of: "cases")
    }
    guard let found, found.count >= 2 else { throw JSONScanner.corrupt("no case list in the record") }
    let base = bytes.startIndex
    var head = Data(bytes[base..<base + found.lowerBound])
    head.append(contentsOf: "[]".utf8)
    head.append(bytes[(base + found.upperBound)...])
    header = try AuditChain.decoder.decode(RunRecord.self, from: head)
    self.bytes = bytes
    list = found.lowerBound + 1..<found.upperBound - 1
    try bytes.withUnsafeBytes { raw in
      guard raw[found.lowerBound] == 0x5B else { throw JSONScanner.corrupt("the cases are not a list") }
      var scanner = JSONScanner(raw, at: list.lowerBound)
      while try scanner.nextCase(before: list.upperBound) != nil {}
    }
  }

  /// The byte offsets (from the first byte) of a record's top-level case list, brackets included: where a
  /// store that keeps a record's cases apart from its header (`"cases":[]`) puts them back.
  /// - Throws: `DecodingError.dataCorrupted` when `bytes` is not a JSON object with a case list.
  public static func caseList(in bytes: some ContiguousBytes) throws -> Range<Int> {
    try bytes.withUnsafeBytes { raw in
      var scanner = JSONScanner(raw)
      guard let found = try scanner.topLevelValue(of: "cases"), found.count >= 2, raw[found.lowerBound] == 0x5B else {
        throw JSONScanner.corrupt("no case list in the record")
      }
      return found
    }
  }

  /// The record's cases, in order, parsed as they are iterated.
  public var cases: Cases { Cases(bytes: bytes, list: list) }

  /// The whole record.
  public var record: RunRecord {
    var record = header
    record.cases = Array(cases)
    return record
  }

  /// A record's cases, parsed one at a time.
  public struct Cases: Sequence, Sendable {
    let bytes: Data
    let list: Range<Int>

    /// An iterator over the cases.
    public struct Iterator: IteratorProtocol {
      let bytes: Data
      let end: Int
      var position: Int

      /// The next case.
      public mutating func next() -> RunRecord.CaseOutcome? {
        let (outcome, after) = bytes.withUnsafeBytes { raw -> (RunRecord.CaseOutcome?, Int) in
          var scanner = JSONScanner(raw, at: position)
          // Checked when the reader was made.
          let outcome = try? scanner.nextCase(before: end)
          return (outcome ?? nil, scanner.position)
        }
        position = after
        return outcome
      }
    }

    /// An iterator from the first case.
    public func makeIterator() -> Iterator { Iterator(bytes: bytes, end: list.upperBound, position: list.lowerBound) }
  }
}
