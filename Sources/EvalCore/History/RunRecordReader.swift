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

/// Just enough of a JSON parser for a record's case list, over bytes the encoder wrote (any valid JSON is read).
struct JSONScanner {
  let bytes: UnsafeRawBufferPointer
  var position: Int

  init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
    self.bytes = bytes
    self.position = position
  }

  static func corrupt(_ reason: String) -> DecodingError {
    .dataCorrupted(.init(codingPath: [], debugDescription: "the stored record is not valid: \(reason)"))
  }

  var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

  mutating func skipSpace() {
    while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { position += 1 }
  }

  mutating func expect(_ byte: UInt8) throws {
    skipSpace()
    guard peek == byte else { throw Self.corrupt("expected '\(Character(Unicode.Scalar(byte)))' at byte \(position)") }
    position += 1
  }

  /// The byte range of the value of `key` in the top-level object, or `nil` when it has none.
  mutating func topLevelValue(of key: String) throws -> Range<Int>? {
    try expect(0x7B)
    skipSpace()
    if peek == 0x7D { return nil }
    var found: Range<Int>?
    while true {
      let name = try string()
      try expect(0x3A)
      skipSpace()
      let start = position
      try skipValue()
      if name == key { found = start..<position }
      skipSpace()
      if peek == 0x2C {
        position += 1
        continue
      }
      try expect(0x7D)
      return found
    }
  }

  /// The next case of a list whose contents end at `end`, or `nil` after the last.
  mutating func nextCase(before end: Int) throws -> RunRecord.CaseOutcome? {
    skipSpace()
    if position >= end { return nil }
    if peek == 0x2C {
      position += 1
      skipSpace()
    }
    let outcome = try caseOutcome()
    skipSpace()
    guard position >= end || peek == 0x2C else { throw Self.corrupt("expected ',' at byte \(position)") }
    return outcome
  }

  mutating func caseOutcome() throws -> RunRecord.CaseOutcome {
    try expect(0x7B)
    var id: String?
    var suite: String?
    var outcome: Outcome?
    var score: Double?
    var scores: [String: Double]?
    var latency: Double?
    skipSpace()
    if peek != 0x7D {
      while true {
        let key = try string()
        try expect(0x3A)
        skipSpace()
        switch key {
        case "id": id = try string()
        case "suite": suite = try string()
        case "outcome":
          let word = try string()
          guard let known = Outcome(rawValue: word) else { throw Self.corrupt("unknown outcome '\(word)'") }
          outcome = known
        case "score": score = try nullableDouble()
        case "latencyMs": latency = try nullableDouble()
        case "scores":
          if try null() {
            scores = nil
          } else {
            var named: [String: Double] = [:]
            try expect(0x7B)
            skipSpace()
            if peek != 0x7D {
              while true {
                let name = try string()
                try expect(0x3A)
                skipSpace()
                named[name] = try double()
                skipSpace()
                if peek == 0x2C {
                  position += 1
                  skipSpace()
                  continue
                }
                break
              }
            }
            try expect(0x7D)
            scores = named
          }
        default: try skipValue()
        }
        skipSpace()
        if peek == 0x2C {
          position += 1
          skipSpace()
          continue
        }
        break
      }
    }
    try expect(0x7D)
    guard let id, let suite, let outcome else { throw Self.corrupt("a case without its id, suite or outcome") }
    return RunRecord.CaseOutcome(
      id: id, suite: suite, outcome: outcome, score: score, scores: scores, latencyMs: latency)
  }

  /// Consumes `null` when it is next.
  mutating func null() throws -> Bool {
    skipSpace()
    guard peek == 0x6E else { return false }
    guard position + 4 <= bytes.count, bytes[position + 1] == 0x75, bytes[position + 2] == 0x6C,
      bytes[position + 3] == 0x6C
    else { throw Self.corrupt("expected null at byte \(position)") }
    position += 4
    return true
  }

  mutating func nullableDouble() throws -> Double? { try null() ? nil : try double() }

  /// A number, or the encoder's strings for the non-finite values.
  mutating func double() throws -> Double {
    skipSpace()
    if peek == 0x22 {
      switch try string() {
      case "NaN": return .nan
      case "Infinity": return .infinity
      case "-Infinity": return -.infinity
      case let other: throw Self.corrupt("'\(other)' is not a number")
      }
    }
    let start = position
    while let b = peek, (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2B || b == 0x2E || b == 0x45 || b == 0x65 {
      position += 1
    }
    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    guard !text.isEmpty, let value = Double(text), value.isFinite else {
      throw Self.corrupt("'\(text)' at byte \(start) is not a number")
    }
    return value
  }

  /// A string, its escapes resolved.
  mutating func string() throws -> String {
    skipSpace()
    guard peek == 0x22 else { throw Self.corrupt("expected a string at byte \(position)") }
    position += 1
    let start = position
    var plain = true
    while true {
      guard let b = peek else { throw Self.corrupt("an unterminated string") }
      if b == 0x22 { break }
      if b == 0x5C {
        plain = false
        position += 2
        continue
      }
      guard b >= 0x20 else { throw Self.corrupt("a control character in a string at byte \(position)") }
      position += 1
    }
    let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
    position += 1
    if plain { return String(decoding: raw, as: UTF8.self) }
    return try Self.unescape(raw)
  }

  static func unescape(_ raw: UnsafeRawBufferPointer) throws -> String {
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var i = 0
    func hex4(_ at: Int) throws -> UInt32 {
      guard at + 4 <= raw.count else { throw corrupt("a short \\u escape") }
      var value: UInt32 = 0
      for b in raw[at..<at + 4] {
        let digit: UInt32
        switch b {
        case 0x30...0x39: digit = UInt32(b - 0x30)
        case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
        case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
        default: throw corrupt("a bad \\u escape")
        }
        value = value << 4 | digit
      }
      return value
    }
    while i < raw.count {
      let b = raw[i]
      guard b == 0x5C else {
        out.append(b)
        i += 1
        continue
      }
      guard i + 1 < raw.count else { throw corrupt("a string ending in a backslash") }
      let e = raw[i + 1]
      i += 2
      switch e {
      case 0x22, 0x5C, 0x2F: out.append(e)
      case 0x62: out.append(0x08)
      case 0x66: out.append(0x0C)
      case 0x6E: out.append(0x0A)
      case 0x72: out.append(0x0D)
      case 0x74: out.append(0x09)
      case 0x75:
        var scalar = try hex4(i)
        i += 4
        if (0xD800...0xDBFF).contains(scalar) {
          guard i + 6 <= raw.count, raw[i] == 0x5C, raw[i + 1] == 0x75 else { throw corrupt("a lone surrogate") }
          let low = try hex4(i + 2)
          guard (0xDC00...0xDFFF).contains(low) else { throw corrupt("a lone surrogate") }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          i += 6
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw corrupt("a lone surrogate") }
        out.append(contentsOf: Array(String(Character(unicode)).utf8))
      default: throw corrupt("an unknown escape")
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Skips any value.
  mutating func skipValue() throws {
    skipSpace()
    guard let b = peek else { throw Self.corrupt("a missing value") }
    switch b {
    case 0x22: _ = try string()
    case 0x7B, 0x5B:
      let close: UInt8 = b == 0x7B ? 0x7D : 0x5D
      position += 1
      skipSpace()
      if peek == close {
        position += 1
        return
      }
      while true {
        if b == 0x7B {
          _ = try string()
          try expect(0x3A)
        }
        try skipValue()
        skipSpace()
        if peek == 0x2C {
          position += 1
          continue
        }
        try expect(close)
        return
      }
    default:
      let start = position
      while let c = peek, c != 0x2C, c != 0x7D, c != 0x5D, c != 0x20, c != 0x0A, c != 0x0D, c != 0x09 { position += 1 }
      guard position > start else { throw Self.corrupt("a missing value at byte \(start)") }
    }
  }
}
