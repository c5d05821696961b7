import Foundation

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
    var id: String?
    var suite: String?
    var outcome: Outcome?
    var score: Double?
    var scores: [String: Double]?
    var latency: Double?
    try members { scanner in
      let key = try scanner.caseKey()
      try scanner.expect(0x3A)
      scanner.skipSpace()
      switch key {
      case .id: id = try scanner.string()
      case .suite: suite = try scanner.string()
      case .outcome: outcome = try scanner.outcomeWord()
      case .score: score = try scanner.nullableDouble()
      case .latencyMs: latency = try scanner.nullableDouble()
      case .scores:
        if try scanner.null() {
          scores = nil
        } else {
          var named: [String: Double] = [:]
          try scanner.members { scanner in
            let name = try scanner.string()
            try scanner.expect(0x3A)
            scanner.skipSpace()
            named[name] = try scanner.double()
          }
          scores = named
        }
      case .other: try scanner.skipValue()
      }
    }
    guard let id, let suite, let outcome else { throw Self.corrupt("a case without its id, suite or outcome") }
    return RunRecord.CaseOutcome(
      id: id, suite: suite, outcome: outcome, score: score, scores: scores, latencyMs: latency)
  }

  /// An object: its `{`, each member read by `member` (from its key to the end of its value), its `}`.
  mutating func members(_ member: (inout JSONScanner) throws -> Void) throws {
    try expect(0x7B)
    skipSpace()
    guard peek != 0x7D else {
      position += 1
      return
    }
    while true {
      try member(&self)
      skipSpace()
      guard peek == 0x2C else { break }
      position += 1
      skipSpace()
    }
    try expect(0x7D)
  }

  /// The keys of a stored case.
  enum CaseKey {
    case id, suite, outcome, score, latencyMs, scores, other
  }

  /// A case's key, told from its bytes when it has no escapes (no string is made: at 100,000 cases a record's
  /// keys were half the strings read), else from the string it unescapes to.
  mutating func caseKey() throws -> CaseKey {
    guard let raw = plainString() else {
      switch try string() {
      case "id": return .id
      case "suite": return .suite
      case "outcome": return .outcome
      case "score": return .score
      case "latencyMs": return .latencyMs
      case "scores": return .scores
      default: return .other
      }
    }
    switch raw.count {
    case 2 where Self.equal(raw, "id"): return .id
    case 5 where Self.equal(raw, "suite"): return .suite
    case 5 where Self.equal(raw, "score"): return .score
    case 6 where Self.equal(raw, "scores"): return .scores
    case 7 where Self.equal(raw, "outcome"): return .outcome
    case 9 where Self.equal(raw, "latencyMs"): return .latencyMs
    default: return .other
    }
  }

  /// A case's outcome word, told from its bytes when it has no escapes.
  mutating func outcomeWord() throws -> Outcome {
    if let raw = plainString() {
      if Self.equal(raw, "passed") { return .passed }
      if Self.equal(raw, "failed") { return .failed }
      if Self.equal(raw, "errored") { return .errored }
      if Self.equal(raw, "skipped") { return .skipped }
      let word = String(decoding: raw, as: UTF8.self)
      guard let known = Outcome(rawValue: word) else { throw Self.corrupt("unknown outcome '\(word)'") }
      return known
    }
    let word = try string()
    guard let known = Outcome(rawValue: word) else { throw Self.corrupt("unknown outcome '\(word)'") }
    return known
  }

  /// The bytes of the string that is next, consumed, when it is one without escapes or control characters;
  /// else `nil` with nothing consumed (``string()`` reads it, or says what is wrong).
  mutating func plainString() -> UnsafeRawBufferPointer? {
    skipSpace()
    guard peek == 0x22 else { return nil }
    var end = position + 1
    while end < bytes.count {
      let b = bytes[end]
      if b == 0x22 {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[(position + 1)..<end])
        position = end + 1
        return raw
      }
      if b == 0x5C || b < 0x20 { return nil }
      end += 1
    }
    return nil
  }

  /// Whether `raw` holds exactly the UTF-8 of `text` (a key or a word: a few bytes, compared in line).
  static func equal(_ raw: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
    guard raw.count == text.utf8CodeUnitCount else { return false }
    let utf8 = text.utf8Start
    for i in 0..<raw.count where raw[i] != utf8[i] { return false }
    return true
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
    let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
    if let value = Self.shortDecimal(raw) { return value }
    let text = String(decoding: raw, as: UTF8.self)
    guard !text.isEmpty, let value = Double(text), value.isFinite else {
      throw Self.corrupt("'\(text)' at byte \(start) is not a number")
    }
    return value
  }

  /// The powers of ten a `Double` holds exactly.
  private static let exactPowersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

  /// The value of `-?digits(.digits)?` with at most 15 digits in all, else `nil`: the integer the digits spell
  /// (exact below 2⁵³) divided by a power of ten (exact up to 10²²), one correctly rounded division, so the same
  /// `Double` as `strtod`'s correctly rounded reading (Clinger's fast path). A record's latencies and scores are
  /// such numbers; glibc's `strtod` was a tenth of reading a 100,000-case record.
  static func shortDecimal(_ raw: UnsafeRawBufferPointer) -> Double? {
    var i = 0
    let negative = raw.first == 0x2D
    if negative { i = 1 }
    var mantissa: UInt64 = 0
    var digits = 0
    var fraction = -1  // digits after the point; -1 before one is seen
    while i < raw.count {
      let b = raw[i]
      if b >= 0x30 && b <= 0x39 {
        mantissa = mantissa &* 10 &+ UInt64(b &- 0x30)
        digits += 1
        if fraction >= 0 { fraction += 1 }
      } else if b == 0x2E && fraction < 0 && digits > 0 {
        fraction = 0
      } else {
        return nil
      }
      i += 1
    }
    guard digits > 0, digits <= 15, fraction != 0 else { return nil }
    let value = fraction > 0 ? Double(mantissa) / exactPowersOfTen[fraction] : Double(mantissa)
    return negative ? -value : value
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
      // A number, `true`, `false` or `null`: letters, digits, signs and points (never a bracket or a quote, so a
      // case ends where its braces balance, as ``CaseListParser`` finds it).
      let start = position
      while let c = peek,
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || c == 0x2B || c == 0x2D || c == 0x2E
          || c == 0x45
      {
        position += 1
      }
      guard position > start else { throw Self.corrupt("a missing value at byte \(start)") }
    }
  }
}
