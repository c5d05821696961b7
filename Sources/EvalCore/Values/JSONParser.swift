// Hand-written: Foundation's JSONSerialization accepts text RFC 8259 forbids (trailing commas, as issue 15
// reports: `{"a": 1,}`) and reports no line and column; no listed Swift package parses JSON
// strictly with positions. This parser is iterative (an explicit stack, never recursion) and linear in its
// input, and limits nesting to `maximumDepth` so that no value it builds is too deep to walk.

/// A strict RFC 8259 JSON parser that reports `line:column` for errors and for every value it builds.
///
/// Accepted: exactly the JSON-text of RFC 8259 (any value at the top level, whitespace limited to space,
/// tab, line feed and carriage return, no comments, no trailing commas, no leading zeros, no `NaN`).
/// Rejected as well, because a Swift string cannot hold them: escaped lone surrogates (`"\ud800"`).
/// Duplicate object keys are passed to the builder, which decides.
public struct JSONParser {
  /// The deepest nesting of arrays and objects accepted (deeper input is an error, not a crash).
  public static let maximumDepth = 512

  /// A place in the text: byte offset, 1-based line, and 1-based column counted in Unicode scalars.
  public struct Position: Sendable, Hashable {
    /// Offset in UTF-8 bytes from the start of the text.
    public var offset: Int
    /// Line number, from 1 (lines end at line feeds).
    public var line: Int
    /// Column number, from 1, in Unicode scalars.
    public var column: Int
  }

  /// Why text is not JSON, and where.
  public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. `trailing comma before ']'`.
    public var message: String
    /// Where the problem was found.
    public var position: Position

    public var description: String { "\(position.line):\(position.column): \(message)" }
  }

  /// A scalar as parsed: numbers keep their exact text.
  public enum Scalar {
    case null
    case bool(Bool)
    case number(Substring)
    case string(String)
  }

  /// An object member as parsed.
  public struct Member<Node> {
    /// The key, unescaped.
    public var key: String
    /// Where the key's opening quote is.
    public var keyPosition: Position
    /// The value.
    public var value: Node
  }

  /// Builds values from the parser's pieces, bottom-up.
  public protocol Builder {
    /// The value type built.
    associatedtype Node
    /// A scalar at `position`.
    func scalar(_ scalar: Scalar, at position: Position) throws -> Node
    /// An array whose `[` is at `position`.
    func array(_ items: [Node], at position: Position) throws -> Node
    /// An object whose `{` is at `position`, members in text order (duplicates included).
    func object(_ members: [Member<Node>], at position: Position) throws -> Node
  }

  /// An open container; its items or members wait in separate stacks, so that appending never copies
  /// them (an array bound out of an enum payload would be copied on every append).
  private enum Frame {
    case array(Position)
    case object(Position, key: String, keyPosition: Position)
  }

  private struct Stack<Node> {
    var frames: [Frame] = []
    var items: [[Node]] = []
    var members: [[Member<Node>]] = []
  }

  private let bytes: UnsafeBufferPointer<UInt8>
  private var i = 0
  private var line = 1
  private var lineStart = 0
  /// UTF-8 continuation bytes seen on the current line (columns count scalars, not bytes).
  private var continuations = 0

  private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// Parses a whole JSON text (surrounding JSON whitespace allowed) with `builder`.
  /// - Throws: ``Failure`` at the first error, or what `builder` throws.
  public static func parse<B: Builder>(_ text: String, with builder: B) throws -> B.Node {
    var text = text
    return try text.withUTF8 { buffer in
      var parser = JSONParser(buffer)
      return try parser.document(builder)
    }
  }

  /// Parses the JSON value that begins at UTF-8 offset `start` and ignores what follows it.
  /// - Returns: the value and the offset just past it.
  /// - Throws: ``Failure`` when no JSON value begins there.
  public static func parsePrefix<B: Builder>(
    _ text: String, from start: Int, with builder: B
  ) throws -> (value: B.Node, end: Int) {
    var text = text
    return try text.withUTF8 { buffer in
      var parser = JSONParser(buffer)
      parser.i = start
      let value = try parser.value(builder)
      return (value, parser.i)
    }
  }

  /// Parses bytes `range` of UTF-8 `buffer` as a whole JSON text.
  static func parse<B: Builder>(
    _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, with builder: B
  ) throws -> B.Node {
    var parser = JSONParser(UnsafeBufferPointer(rebasing: buffer[range]))
    return try parser.document(builder)
  }

  private var position: Position {
    Position(offset: i, line: line, column: i - lineStart - continuations + 1)
  }

  private func failure(_ message: String, at position: Position? = nil) -> Failure {
    Failure(message: message, position: position ?? self.position)
  }

  private mutating func document<B: Builder>(_ builder: B) throws -> B.Node {
    skipWhitespace()
    guard i < bytes.count else { throw failure("empty input: expected a JSON value") }
    let value = try value(builder)
    skipWhitespace()
    guard i == bytes.count else { throw failure("extra text after the JSON value: \(describe(i))") }
    return value
  }

  private mutating func skipWhitespace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x20, 0x09, 0x0D: i += 1
      case 0x0A:
        i += 1
        line += 1
        lineStart = i
        continuations = 0
      default: return
      }
    }
  }

  /// Parses one value, iteratively: containers wait on `stack` while their members are parsed.
  private mutating func value<B: Builder>(_ builder: B) throws -> B.Node {
    var stack = Stack<B.Node>()
    while true {
      skipWhitespace()
      guard var completed = try start(builder, &stack) else { continue }
      // Attach the finished value to the containers waiting for it.
      while true {
        guard let frame = stack.frames.last else { return completed }
        skipWhitespace()
        let byte: UInt8? = i < bytes.count ? bytes[i] : nil
        switch frame {
        case .array(let at):
          stack.items[stack.items.count - 1].append(completed)
          if byte == UInt8(ascii: ",") {
            i += 1
            skipWhitespace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { throw failure("trailing comma before ']'") }
          } else if byte == UInt8(ascii: "]") {
            i += 1
            stack.frames.removeLast()
            completed = try builder.array(stack.items.removeLast(), at: at)
            continue
          } else {
            throw failure("expected ',' or ']' after an array element, found \(describe(i))")
          }
        case .object(let at, let key, let keyPosition):
          stack.members[stack.members.count - 1].append(Member(key: key, keyPosition: keyPosition, value: completed))
          if byte == UInt8(ascii: ",") {
            i += 1
            skipWhitespace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { throw failure("trailing comma before '}'") }
            let (nextKey, nextPosition) = try memberKey()
            stack.frames[stack.frames.count - 1] = .object(at, key: nextKey, keyPosition: nextPosition)
          } else if byte == UInt8(ascii: "}") {
            i += 1
            stack.frames.removeLast()
            completed = try builder.object(stack.members.removeLast(), at: at)
            continue
          } else {
            throw failure("expected ',' or '}' after an object member, found \(describe(i))")
          }
        }
        break
      }
    }
  }

  /// Starts a value at the current byte: returns a finished scalar or empty container, or pushes an open
  /// container and returns `nil`.
  private mutating func start<B: Builder>(_ builder: B, _ stack: inout Stack<B.Node>) throws -> B.Node? {
    guard i < bytes.count else { throw failure("unexpected end of input: expected a JSON value") }
    let at = position
    switch bytes[i] {
    case UInt8(ascii: "["):
      guard stack.frames.count < JSONParser.maximumDepth else {
        throw failure("arrays and objects nested deeper than \(JSONParser.maximumDepth)")
      }
      i += 1
      skipWhitespace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
        i += 1
        return try builder.array([], at: at)
      }
      stack.frames.append(.array(at))
      stack.items.append([])
      return nil
    case UInt8(ascii: "{"):
      guard stack.frames.count < JSONParser.maximumDepth else {
        throw failure("arrays and objects nested deeper than \(JSONParser.maximumDepth)")
      }
      i += 1
      skipWhitespace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
        i += 1
        return try builder.object([], at: at)
      }
      let (key, keyPosition) = try memberKey()
      stack.frames.append(.object(at, key: key, keyPosition: keyPosition))
      stack.members.append([])
      return nil
    case UInt8(ascii: "\""):
      return try builder.scalar(.string(try string()), at: at)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try builder.scalar(.number(try number()), at: at)
    case UInt8(ascii: "t"):
      try literal("true")
      return try builder.scalar(.bool(true), at: at)
    case UInt8(ascii: "f"):
      try literal("false")
      return try builder.scalar(.bool(false), at: at)
    case UInt8(ascii: "n"):
      try literal("null")
      return try builder.scalar(.null, at: at)
    default:
      throw failure("expected a JSON value, found \(describe(i))")
    }
  }

  /// A member's key and the `:` after it; the current byte must open the key's string.
  private mutating func memberKey() throws -> (String, Position) {
    let at = position
    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
      throw failure("expected a member name in double quotes, found \(describe(i))")
    }
    let key = try string()
    skipWhitespace()
    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
      throw failure("expected ':' after a member name, found \(describe(i))")
    }
    i += 1
    return (key, at)
  }

  private mutating func literal(_ word: StaticString) throws {
    let count = word.utf8CodeUnitCount
    let matches =
      i + count <= bytes.count
      && word.withUTF8Buffer { w in (0..<count).allSatisfy { bytes[i + $0] == w[$0] } }
    guard matches else { throw failure("expected a JSON value, found \(describe(i))") }
    i += count
  }

  /// A number's text: `-`? (`0` | [1-9][0-9]*) (`.` [0-9]+)? ([eE] [+-]? [0-9]+)?
  private mutating func number() throws -> Substring {
    let begin = i
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    guard i < bytes.count, isDigit(bytes[i]) else { throw failure("expected a digit after '-'") }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
      if i < bytes.count, isDigit(bytes[i]) { throw failure("leading zeros are not allowed in JSON numbers") }
    } else {
      while i < bytes.count, isDigit(bytes[i]) { i += 1 }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      guard i < bytes.count, isDigit(bytes[i]) else { throw failure("expected a digit after '.'") }
      while i < bytes.count, isDigit(bytes[i]) { i += 1 }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      guard i < bytes.count, isDigit(bytes[i]) else { throw failure("expected a digit in the exponent") }
      while i < bytes.count, isDigit(bytes[i]) { i += 1 }
    }
    return Substring(decoding: UnsafeBufferPointer(rebasing: bytes[begin..<i]), as: UTF8.self)
  }

  private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

  /// A string literal; the current byte is its opening quote.
  private mutating func string() throws -> String {
    let open = position
    i += 1
    let begin = i
    // Fast path: no escapes.
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[begin..<i]), as: UTF8.self)
        i += 1
        return s
      }
      if b == UInt8(ascii: "\\") || b < 0x20 { break }
      if b & 0xC0 == 0x80 { continuations += 1 }
      i += 1
    }
    var out = Array(UnsafeBufferPointer(rebasing: bytes[begin..<i]))
    while i < bytes.count {
      let b = bytes[i]
      switch b {
      case UInt8(ascii: "\""):
        i += 1
        return String(decoding: out, as: UTF8.self)
      case UInt8(ascii: "\\"):
        try escape(into: &out)
      case 0..<0x20:
        throw failure("control character \(JSONParser.codePoint(UInt32(b))) in a string (write it as an escape)")
      default:
        if b & 0xC0 == 0x80 { continuations += 1 }
        out.append(b)
        i += 1
      }
    }
    throw failure("unterminated string", at: open)
  }

  private mutating func escape(into out: inout [UInt8]) throws {
    let at = position
    i += 1
    guard i < bytes.count else { throw failure("unterminated string") }
    let c = bytes[i]
    i += 1
    switch c {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(c)
    case UInt8(ascii: "b"): out.append(0x08)
    case UInt8(ascii: "f"): out.append(0x0C)
    case UInt8(ascii: "n"): out.append(0x0A)
    case UInt8(ascii: "r"): out.append(0x0D)
    case UInt8(ascii: "t"): out.append(0x09)
    case UInt8(ascii: "u"):
      var code = try hex4(at)
      if (0xD800...0xDBFF).contains(code) {
        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
          throw failure(
            "lone surrogate \(JSONParser.codePoint(code)) (a high surrogate needs a low one after it)", at: at)
        }
        i += 2
        let low = try hex4(at)
        guard (0xDC00...0xDFFF).contains(low) else {
          throw failure(
            "lone surrogate \(JSONParser.codePoint(code)) (a high surrogate needs a low one after it)", at: at)
        }
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00...0xDFFF).contains(code) {
        throw failure("lone surrogate \(JSONParser.codePoint(code))", at: at)
      }
      guard let scalar = Unicode.Scalar(code) else { throw failure("invalid escape", at: at) }
      out.append(contentsOf: UTF8.encode(scalar).map(Array.init) ?? [])
    default:
      throw failure("invalid escape: backslash before \(describe(i - 1))", at: at)
    }
  }

  private mutating func hex4(_ at: Position) throws -> UInt32 {
    guard i + 4 <= bytes.count else { throw failure("\\u needs four hex digits", at: at) }
    var code: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[i]
      let digit: UInt8
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
      default: throw failure("\\u needs four hex digits", at: at)
      }
      code = code << 4 | UInt32(digit)
      i += 1
    }
    return code
  }

  /// The scalar at `offset` for messages: `'x'`, `U+000A`, or `end of input`.
  private func describe(_ offset: Int) -> String {
    guard offset < bytes.count else { return "end of input" }
    let b = bytes[offset]
    if b < 0x20 || b == 0x7F { return JSONParser.codePoint(UInt32(b)) }
    let length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
    let text = String(
      decoding: UnsafeBufferPointer(rebasing: bytes[offset..<min(bytes.count, offset + length)]), as: UTF8.self)
    return "'\(text)'"
  }

  /// `U+000A`: a code point as messages write it.
  static func codePoint(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }
}
