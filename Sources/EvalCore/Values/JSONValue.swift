import Foundation

/// A JSON-shaped value: test variables, metadata, assertion values, provider configuration and parsed
/// model output all use it, so the core never deals in `Any`.
///
/// Numbers are `Double`s, except integers beyond ±2⁵³ written in JSON or YAML, which a `Double` cannot
/// hold exactly: those are ``bigInteger(_:)``, so that they compare exactly. Equality is by value:
/// `.number(4)` equals `.bigInteger("4")`, and `.number(9007199254740992)` does not equal
/// `.bigInteger("9007199254740993")`.
public enum JSONValue: Sendable {
  case null
  case bool(Bool)
  case number(Double)
  /// An integer too large for a `Double` to hold exactly, as decimal digits with an optional leading `-`
  /// (no `+`, no leading zeros). Build it with ``integer(_:)``, which keeps smaller integers as `.number`.
  case bigInteger(String)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// The string payload, or `nil` for other kinds.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The numeric payload (a ``bigInteger(_:)`` rounded to the nearest `Double`), or `nil` for other kinds.
  public var numberValue: Double? {
    switch self {
    case .number(let n): n
    case .bigInteger(let digits): Double(digits)
    default: nil
    }
  }

  /// The array payload, or `nil` for other kinds.
  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  /// The object payload, or `nil` for other kinds.
  public var objectValue: [String: JSONValue]? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// The JSON type name used in messages and schemas: `null`, `boolean`, `number`, `string`, `array`, `object`.
  public var typeName: String {
    switch self {
    case .null: "null"
    case .bool: "boolean"
    case .number, .bigInteger: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
  }

  /// Text as a template or a substring check sees it: strings as they are, everything else as compact JSON.
  public var plainText: String {
    switch self {
    case .string(let s): s
    case .null: ""
    default: canonicalJSON
    }
  }

  /// Compact JSON with sorted keys: equal values always give equal text (used for ids and hashing).
  public var canonicalJSON: String {
    var out = ""
    writeCanonical(into: &out)
    return out
  }

  private func writeCanonical(into out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += JSONValue.format(n)
    case .bigInteger(let digits): out += JSONExactNumber.canonicalText(ofInteger: digits)
    case .string(let s): JSONValue.appendQuoted(s, to: &out)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.writeCanonical(into: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      for (i, key) in members.keys.sorted().enumerated() {
        if i > 0 { out += "," }
        JSONValue.appendQuoted(key, to: &out)
        out += ":"
        members[key, default: .null].writeCanonical(into: &out)
      }
      out += "}"
    }
  }

  /// Formats a number as JSON does: integers without a fraction, others in the shortest round-trip form.
  public static func format(_ n: Double) -> String {
    if n.isNaN || n.isInfinite { return "null" }
    if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
    return "\(n)"
  }

  /// Quotes a string as a JSON string literal.
  public static func quote(_ s: String) -> String {
    var out = ""
    appendQuoted(s, to: &out)
    return out
  }

  /// Appends `s` as a JSON string literal.
  static func appendQuoted(_ s: String, to out: inout String) {
    out += "\""
    // Most strings need no escape at all.
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
      out += s
      out += "\""
      return
    }
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }

  /// Parses JSON text, or returns `nil` when it is not valid JSON (RFC 8259 exactly: see ``JSONParser``).
  public static func parse(_ text: String) -> JSONValue? {
    try? JSONParser.parse(text, with: Builder())
  }

  /// Parses JSON text.
  /// - Throws: ``JSONParser/Failure`` with the line and column of the first error.
  public static func parseStrict(_ text: String) throws -> JSONValue {
    try JSONParser.parse(text, with: Builder())
  }

  /// The number a JSON or YAML numeric literal denotes: integers beyond ±2⁵³ exactly, others as `Double`.
  /// - Parameter text: a JSON number (`-12`, `0.5`, `1e300`).
  public static func number(jsonText text: some StringProtocol) -> JSONValue {
    if text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
      return .number(Double(String(text)) ?? .nan)
    }
    return integer(text)
  }

  /// An integer from decimal digits (optional sign, leading zeros allowed): `.number` when a `Double`
  /// holds it exactly (|n| ≤ 2⁵³), else ``bigInteger(_:)``. Not digits: `.number(.nan)`.
  public static func integer(_ digits: some StringProtocol) -> JSONValue {
    guard let normalized = JSONExactNumber.normalizedInteger(digits) else { return .number(.nan) }
    if JSONExactNumber.fitsDouble(normalized) { return .number(Double(normalized) ?? .nan) }
    return .bigInteger(normalized)
  }

  /// Builds `JSONValue`s for ``JSONParser``: duplicate keys keep the last value, as JavaScript does.
  struct Builder: JSONParser.Builder {
    func scalar(_ scalar: JSONParser.Scalar, at position: JSONParser.Position) -> JSONValue {
      switch scalar {
      case .null: .null
      case .bool(let b): .bool(b)
      case .number(let text): JSONValue.number(jsonText: text)
      case .string(let s): .string(s)
      }
    }

    func array(_ items: [JSONValue], at position: JSONParser.Position) -> JSONValue { .array(items) }

    func object(_ members: [JSONParser.Member<JSONValue>], at position: JSONParser.Position) -> JSONValue {
      var out: [String: JSONValue] = [:]
      out.reserveCapacity(members.count)
      for member in members { out[member.key] = member.value }
      return .object(out)
    }
  }

  /// Converts to Foundation types for template engines: strings, numbers, booleans, arrays, dictionaries.
  public var foundationValue: Any? {
    switch self {
    case .null: nil
    case .bool(let b): b
    case .number(let n): n == n.rounded() && abs(n) < 1e15 ? Int(n) : n
    case .bigInteger(let digits): Int(digits) ?? digits
    case .string(let s): s
    case .array(let a): a.map { $0.foundationValue ?? "" }
    case .object(let o): o.mapValues { $0.foundationValue ?? "" }
    }
  }

  /// Looks up a dotted path (`a.b.0.c`) inside objects and arrays.
  public func value(atPath path: [Substring]) -> JSONValue? {
    var current = self
    for component in path {
      switch current {
      case .object(let o):
        guard let next = o[String(component)] else { return nil }
        current = next
      case .array(let a):
        guard let i = Int(component), a.indices.contains(i) else { return nil }
        current = a[i]
      default:
        return nil
      }
    }
    return current
  }
}

extension JSONValue: Hashable {
  /// Equality by value: numbers by their exact value (see ``bigInteger(_:)``), objects ignoring key order.
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): true
    case (.bool(let a), .bool(let b)): a == b
    case (.number(let a), .number(let b)): a == b
    case (.bigInteger(let a), .bigInteger(let b)): JSONExactNumber.compareIntegers(a, b) == 0
    case (.number(let a), .bigInteger(let b)), (.bigInteger(let b), .number(let a)):
      JSONExactNumber.integerDigits(of: a).map { JSONExactNumber.compareIntegers($0, b) == 0 } ?? false
    case (.string(let a), .string(let b)): a == b
    case (.array(let a), .array(let b)): a == b
    case (.object(let a), .object(let b)): a == b
    default: false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let b):
      hasher.combine(1)
      hasher.combine(b)
    case .number(let n):
      // Equal numbers round to the same Double, whichever case holds them.
      hasher.combine(2)
      hasher.combine(n)
    case .bigInteger(let digits):
      hasher.combine(2)
      hasher.combine(Double(digits) ?? 0)
    case .string(let s):
      hasher.combine(3)
      hasher.combine(s)
    case .array(let a):
      hasher.combine(4)
      hasher.combine(a)
    case .object(let o):
      hasher.combine(5)
      hasher.combine(o)
    }
  }
}

extension JSONValue: Codable {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? container.decode(Double.self) {
      // An integer beyond 2^53 decoded as a Double has lost digits: read it again exactly.
      if n == n.rounded(), abs(n) > JSONExactNumber.maxExactDouble,
        let exact = try? container.decode(Decimal.self), case let text = exact.description,
        JSONExactNumber.normalizedInteger(text) != nil
      {
        self = JSONValue.integer(text)
      } else {
        self = .number(n)
      }
    } else if let s = try? container.decode(String.self) {
      self = .string(s)
    } else if let a = try? container.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let b): try container.encode(b)
    case .number(let n):
      if n == n.rounded(), abs(n) < 1e15 { try container.encode(Int64(n)) } else { try container.encode(n) }
    case .bigInteger(let digits):
      if let exact = Decimal(string: digits), exact.description == digits {
        try container.encode(exact)
      } else {
        try container.encode(Double(digits) ?? 0)
      }
    case .string(let s): try container.encode(s)
    case .array(let a): try container.encode(a)
    case .object(let o): try container.encode(o)
    }
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .number(Double(value)) }
  public init(floatLiteral value: Double) { self = .number(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
  public init(nilLiteral: ()) { self = .null }
}
