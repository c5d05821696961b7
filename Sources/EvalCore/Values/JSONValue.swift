import Foundation

/// A JSON-shaped value: test variables, metadata, assertion values, provider configuration and parsed
/// model output all use it, so the core never deals in `Any`.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// The string payload, or `nil` for other kinds.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The numeric payload, or `nil` for other kinds.
  public var numberValue: Double? {
    if case .number(let n) = self { return n }
    return nil
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
    case .number: "number"
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

  /// Parses JSON text, or returns `nil` when it is not valid JSON.
  ///
  /// Uses `JSONSerialization`, several times faster here than a `Codable` decode of this enum (which
  /// must try each kind in turn); it runs once per model response.
  public static func parse(_ text: String) -> JSONValue? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
      return nil
    }
    return JSONValue(serialized: object)
  }

  /// Converts `JSONSerialization` output; booleans are the `NSNumber`s whose type code is `c`.
  private init?(serialized object: Any) {
    switch object {
    case is NSNull:
      self = .null
    case let s as String:
      self = .string(s)
    case let n as NSNumber:
      self = String(cString: n.objCType) == "c" ? .bool(n.boolValue) : .number(n.doubleValue)
    case let a as [Any]:
      var items: [JSONValue] = []
      items.reserveCapacity(a.count)
      for element in a {
        guard let item = JSONValue(serialized: element) else { return nil }
        items.append(item)
      }
      self = .array(items)
    case let o as [String: Any]:
      var members: [String: JSONValue] = [:]
      members.reserveCapacity(o.count)
      for (key, element) in o {
        guard let item = JSONValue(serialized: element) else { return nil }
        members[key] = item
      }
      self = .object(members)
    default:
      return nil
    }
  }

  /// Converts to Foundation types for template engines: strings, numbers, booleans, arrays, dictionaries.
  public var foundationValue: Any? {
    switch self {
    case .null: nil
    case .bool(let b): b
    case .number(let n): n == n.rounded() && abs(n) < 1e15 ? Int(n) : n
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

extension JSONValue: Codable {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? container.decode(Double.self) {
      self = .number(n)
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
