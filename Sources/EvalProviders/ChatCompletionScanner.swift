/// Reads the usual chat-completions body (and stream chunk) straight from its bytes, as ``ChatCompletionWire``'s
/// `Decodable` conformance would, without `JSONDecoder`: at 0 ms latency against the fake server, the decoder
/// was 5 % of all of evalgate's CPU for a 20,000-case run (`perf record -e cpu-clock`, 0.36 ms of CPU per case),
/// more than anything else of the provider's.
///
/// It only answers for what it is sure of: a document it reads whole as strict JSON, whose fields evalgate
/// reads have the plain shapes (strings, whole numbers, objects, `null`), and no such field twice. Anything
/// else (a `tool_calls` or `function_call` value, content given as parts, an escape it does not handle, a
/// number with a fraction where a count goes, deep nesting) gives `nil`, and the caller decodes with
/// `JSONDecoder` as before, so every body reads as it did. `ChatCompletionScannerTests` hold it to
/// `JSONDecoder`'s result.
struct ChatCompletionScanner {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var i = 0

  private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// The wire form of `text`, or `nil` when the scanner cannot vouch for reading it as `JSONDecoder` does.
  static func scan(_ text: Substring) -> ChatCompletionWire? {
    var text = text
    return text.withUTF8 { buffer in
      var scanner = ChatCompletionScanner(buffer)
      return scanner.document()
    }
  }

  /// Marks that the document is not one the scanner vouches for.
  private struct Unsure: Error {}

  /// A field read twice: which one counts is `JSONDecoder`'s business.
  private static func once(_ bit: UInt32, _ seen: inout UInt32) throws {
    guard seen & (1 << bit) == 0 else { throw Unsure() }
    seen |= 1 << bit
  }

  private mutating func document() -> ChatCompletionWire? {
    do {
      skipSpace()
      let wire = try completion()
      skipSpace()
      return i == bytes.count ? wire : nil
    } catch {
      return nil
    }
  }

  // MARK: The fields evalgate reads

  private mutating func completion() throws -> ChatCompletionWire {
    var wire = ChatCompletionWire()
    var seen: UInt32 = 0
    try object { scanner, key in
      switch key {
      case "model":
        try Self.once(0, &seen)
        wire.model = try scanner.optionalString()
      case "choices":
        try Self.once(1, &seen)
        wire.choices = try scanner.optionalArray { try $0.choice() }
      case "usage":
        try Self.once(2, &seen)
        wire.usage = try scanner.optionalObject { try $0.usage() }
      case "error":
        try Self.once(3, &seen)
        wire.error = try scanner.optionalObject { try $0.errorWire() }
      default: try scanner.skipValue(depth: 0)
      }
    }
    return wire
  }

  private mutating func choice() throws -> ChatCompletionWire.Choice {
    guard peek == UInt8(ascii: "{") else { throw Unsure() }
    var choice = ChatCompletionWire.Choice()
    var seen: UInt32 = 0
    try object { scanner, key in
      switch key {
      case "message":
        try Self.once(0, &seen)
        choice.message = try scanner.optionalObject { try $0.message() }
      case "delta":
        try Self.once(1, &seen)
        choice.delta = try scanner.optionalObject { try $0.message() }
      case "finish_reason":
        try Self.once(2, &seen)
        choice.finishReason = try scanner.optionalString()
      default: try scanner.skipValue(depth: 1)
      }
    }
    return choice
  }

  private mutating func message() throws -> ChatCompletionWire.Message {
    var message = ChatCompletionWire.Message()
    var seen: UInt32 = 0
    try object { scanner, key in
      switch key {
      case "content":
        try Self.once(0, &seen)
        message.content = try scanner.optionalString()
      // Only their absence is read here: a call is decoded as a JSON value by `JSONDecoder`.
      case "tool_calls":
        try Self.once(1, &seen)
        try scanner.null()
      case "function_call":
        try Self.once(2, &seen)
        try scanner.null()
      default: try scanner.skipValue(depth: 2)
      }
    }
    return message
  }

  private mutating func usage() throws -> ChatCompletionWire.UsageWire {
    var usage = ChatCompletionWire.UsageWire()
    var seen: UInt32 = 0
    try object { scanner, key in
      switch key {
      case "prompt_tokens":
        try Self.once(0, &seen)
        usage.promptTokens = try scanner.optionalInt()
      case "completion_tokens":
        try Self.once(1, &seen)
        usage.completionTokens = try scanner.optionalInt()
      case "total_tokens":
        try Self.once(2, &seen)
        usage.totalTokens = try scanner.optionalInt()
      case "prompt_tokens_details":
        try Self.once(3, &seen)
        usage.promptDetails = try scanner.optionalObject { s in
          ChatCompletionWire.UsageWire.PromptDetails(cachedTokens: try s.countField("cached_tokens"))
        }
      case "completion_tokens_details":
        try Self.once(4, &seen)
        usage.completionDetails = try scanner.optionalObject { s in
          ChatCompletionWire.UsageWire.CompletionDetails(reasoningTokens: try s.countField("reasoning_tokens"))
        }
      default: try scanner.skipValue(depth: 1)
      }
    }
    return usage
  }

  /// An object's one count field (the rest skipped).
  private mutating func countField(_ name: String) throws -> Int? {
    var value: Int?
    var seen = false
    try object { scanner, key in
      if key == name {
        guard !seen else { throw Unsure() }
        seen = true
        value = try scanner.optionalInt()
      } else {
        try scanner.skipValue(depth: 2)
      }
    }
    return value
  }

  private mutating func errorWire() throws -> ChatCompletionWire.ErrorWire {
    var error = ChatCompletionWire.ErrorWire()
    var seen = false
    try object { scanner, key in
      if key == "message" {
        guard !seen else { throw Unsure() }
        seen = true
        error.message = try scanner.optionalString()
      } else {
        try scanner.skipValue(depth: 1)
      }
    }
    return error
  }

  // MARK: JSON

  private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

  private mutating func skipSpace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x20, 0x09, 0x0A, 0x0D: i += 1
      default: return
      }
    }
  }

  private mutating func expect(_ byte: UInt8) throws {
    skipSpace()
    guard peek == byte else { throw Unsure() }
    i += 1
  }

  /// An object, each member's value read by `member` (which must consume it).
  private mutating func object(_ member: (inout ChatCompletionScanner, String) throws -> Void) throws {
    try expect(UInt8(ascii: "{"))
    skipSpace()
    if peek == UInt8(ascii: "}") {
      i += 1
      return
    }
    while true {
      skipSpace()
      let key = try string()
      try expect(UInt8(ascii: ":"))
      skipSpace()
      try member(&self, key)
      skipSpace()
      guard let next = peek else { throw Unsure() }
      i += 1
      if next == UInt8(ascii: "}") { return }
      guard next == UInt8(ascii: ",") else { throw Unsure() }
    }
  }

  /// `null` as `nil`, an object read by `read`, anything else unsure.
  private mutating func optionalObject<T>(_ read: (inout ChatCompletionScanner) throws -> T) throws -> T? {
    if try literalNull() { return nil }
    guard peek == UInt8(ascii: "{") else { throw Unsure() }
    return try read(&self)
  }

  /// `null` as `nil`, an array of elements read by `element`, anything else unsure.
  private mutating func optionalArray<T>(_ element: (inout ChatCompletionScanner) throws -> T) throws -> [T]? {
    if try literalNull() { return nil }
    try expect(UInt8(ascii: "["))
    var out: [T] = []
    skipSpace()
    if peek == UInt8(ascii: "]") {
      i += 1
      return out
    }
    while true {
      skipSpace()
      out.append(try element(&self))
      skipSpace()
      guard let next = peek else { throw Unsure() }
      i += 1
      if next == UInt8(ascii: "]") { return out }
      guard next == UInt8(ascii: ",") else { throw Unsure() }
    }
  }

  private mutating func optionalString() throws -> String? {
    if try literalNull() { return nil }
    return try string()
  }

  /// A count: `null`, or a whole number written without fraction or exponent that fits easily in an `Int`.
  private mutating func optionalInt() throws -> Int? {
    if try literalNull() { return nil }
    let start = i
    if peek == UInt8(ascii: "-") { i += 1 }
    let digitsStart = i
    while let b = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { i += 1 }
    let digits = i - digitsStart
    guard digits > 0, digits <= 18, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { throw Unsure() }
    if let b = peek, b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { throw Unsure() }
    var n = 0
    for k in digitsStart..<i { n = n * 10 + Int(bytes[k] - UInt8(ascii: "0")) }
    return bytes[start] == UInt8(ascii: "-") ? -n : n
  }

  private mutating func null() throws {
    guard try literalNull() else { throw Unsure() }
  }

  /// Consumes `null` when it comes next.
  private mutating func literalNull() throws -> Bool {
    skipSpace()
    guard peek == UInt8(ascii: "n") else { return false }
    try literal("null")
    return true
  }

  private mutating func literal(_ word: StaticString) throws {
    let count = word.utf8CodeUnitCount
    guard i + count <= bytes.count else { throw Unsure() }
    for k in 0..<count where bytes[i + k] != word.utf8Start[k] { throw Unsure() }
    i += count
  }

  /// A string literal; escapes other than the two-character ones and `\u` outside the surrogate range are
  /// left to `JSONDecoder`.
  private mutating func string() throws -> String {
    guard peek == UInt8(ascii: "\"") else { throw Unsure() }
    i += 1
    let start = i
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        i += 1
        return text
      }
      if b == UInt8(ascii: "\\") { return try escapedString(from: start) }
      guard b >= 0x20 else { throw Unsure() }
      i += 1
    }
    throw Unsure()
  }

  private mutating func escapedString(from start: Int) throws -> String {
    var out: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<i]))
    while i < bytes.count {
      let b = bytes[i]
      i += 1
      switch b {
      case UInt8(ascii: "\""):
        return String(decoding: out, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard let e = peek else { throw Unsure() }
        i += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "u"):
          guard i + 4 <= bytes.count else { throw Unsure() }
          var code: UInt32 = 0
          for _ in 0..<4 {
            guard let digit = ChatCompletionScanner.hexValue(bytes[i]) else { throw Unsure() }
            code = code << 4 | digit
            i += 1
          }
          guard let scalar = Unicode.Scalar(code) else { throw Unsure() }  // a surrogate
          out.append(contentsOf: String(Character(scalar)).utf8)
        default: throw Unsure()
        }
      default:
        guard b >= 0x20 else { throw Unsure() }
        out.append(b)
      }
    }
    throw Unsure()
  }

  private static func hexValue(_ b: UInt8) -> UInt32? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  /// Skips any JSON value, checking its syntax; values nested deeper than a few levels are left to `JSONDecoder`.
  private mutating func skipValue(depth: Int) throws {
    guard depth < 16 else { throw Unsure() }
    skipSpace()
    guard let b = peek else { throw Unsure() }
    switch b {
    case UInt8(ascii: "{"):
      try object { scanner, _ in try scanner.skipValue(depth: depth + 1) }
    case UInt8(ascii: "["):
      _ = try optionalArray { try $0.skipValue(depth: depth + 1) }
    case UInt8(ascii: "\""): _ = try string()
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    default: try number()
    }
  }

  /// A number by JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  private mutating func number() throws {
    if peek == UInt8(ascii: "-") { i += 1 }
    guard let first = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw Unsure() }
    i += 1
    if first != UInt8(ascii: "0") { digits() }
    if peek == UInt8(ascii: ".") {
      i += 1
      guard digits() > 0 else { throw Unsure() }
    }
    if let e = peek, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
      i += 1
      if let sign = peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { i += 1 }
      guard digits() > 0 else { throw Unsure() }
    }
  }

  @discardableResult
  private mutating func digits() -> Int {
    let start = i
    while let b = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { i += 1 }
    return i - start
  }
}
