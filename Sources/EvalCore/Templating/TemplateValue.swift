import Foundation

// Hand-written: no Swift package on this machine implements Jinja/nunjucks (see TemplateParser.swift).
// nunjucks compiles templates to JavaScript, so what a template computes is what JavaScript computes:
// this file holds the JavaScript values and conversions (ECMAScript's ToNumber, ToString, ==, <, +)
// the evaluator needs.

/// A value while a template renders: a JavaScript value, as nunjucks sees it.
enum TemplateValue: Sendable, Hashable {
  case undefined
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([TemplateValue])
  case object(TemplateObject)

  /// A test variable as the template sees it (objects iterate in ``TemplateObject`` key order).
  init(_ json: JSONValue) {
    switch json {
    case .null: self = .null
    case .bool(let b): self = .bool(b)
    case .number(let n): self = .number(n)
    // A JavaScript number, as nunjucks sees it (quote an id of more than 15 digits to keep every digit).
    case .bigInteger(let digits): self = .number(Double(digits) ?? .nan)
    case .string(let s): self = .string(s)
    case .array(let items): self = .array(items.map(TemplateValue.init))
    case .object(let members): self = .object(TemplateObject(members.mapValues(TemplateValue.init)))
    }
  }

  /// JavaScript truthiness: `false`, `0`, `NaN`, `""`, `null` and `undefined` are false; every array and
  /// object (even empty) is true.
  var isTruthy: Bool {
    switch self {
    case .undefined, .null: false
    case .bool(let b): b
    case .number(let n): n != 0 && !n.isNaN
    case .string(let s): !s.isEmpty
    case .array, .object: true
    }
  }

  /// `typeof`-like name used in error messages.
  var kindName: String {
    switch self {
    case .undefined: "undefined"
    case .null: "null"
    case .bool: "boolean"
    case .number: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
  }

  /// What `{{ value }}` prints: `undefined` and `null` print nothing, anything else as JavaScript's
  /// `String(value)` does.
  var output: String {
    switch self {
    case .undefined, .null: ""
    case .string(let s): s
    default: jsString
    }
  }

  /// ECMAScript ToString: arrays join their elements with commas (`null`/`undefined` elements empty),
  /// objects are `[object Object]`, numbers print as JavaScript prints them.
  var jsString: String {
    switch self {
    case .undefined: "undefined"
    case .null: "null"
    case .bool(let b): b ? "true" : "false"
    case .number(let n): TemplateValue.format(n)
    case .string(let s): s
    case .array(let items): items.map(\.output).joined(separator: ",")
    case .object: "[object Object]"
    }
  }

  /// ECMAScript ToPrimitive: arrays and objects become their string forms; other values stay.
  var primitive: TemplateValue {
    switch self {
    case .array, .object: .string(jsString)
    default: self
    }
  }

  /// ECMAScript ToNumber.
  var jsNumber: Double {
    switch self {
    case .undefined: .nan
    case .null: 0
    case .bool(let b): b ? 1 : 0
    case .number(let n): n
    case .string(let s): TemplateValue.number(from: s)
    case .array: TemplateValue.number(from: jsString)
    case .object: .nan
    }
  }

  // MARK: operators

  /// JavaScript `a + b`: string concatenation when either side is (or becomes) a string, else addition.
  static func add(_ a: TemplateValue, _ b: TemplateValue) -> TemplateValue {
    let (pa, pb) = (a.primitive, b.primitive)
    if case .string = pa { return .string(pa.jsString + pb.jsString) }
    if case .string = pb { return .string(pa.jsString + pb.jsString) }
    return .number(pa.jsNumber + pb.jsNumber)
  }

  /// JavaScript `a == b` (loose equality). Arrays and objects compare by content, not identity (nunjucks
  /// compares two lookups of the same variable as equal, and two literals as different).
  static func looselyEqual(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
    switch (a, b) {
    case (.undefined, .undefined), (.null, .null), (.undefined, .null), (.null, .undefined): return true
    case (.undefined, _), (.null, _), (_, .undefined), (_, .null): return false
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.array, .array), (.object, .object), (.array, .object), (.object, .array): return strictlyEqual(a, b)
    case (.bool, _): return looselyEqual(.number(a.jsNumber), b)
    case (_, .bool): return looselyEqual(a, .number(b.jsNumber))
    case (.number(let x), .string): return x == b.jsNumber
    case (.string, .number(let y)): return a.jsNumber == y
    case (.array, _), (.object, _): return looselyEqual(a.primitive, b)
    case (_, .array), (_, .object): return looselyEqual(a, b.primitive)
    }
  }

  /// JavaScript `a === b`; arrays and objects by content (see ``looselyEqual(_:_:)``).
  static func strictlyEqual(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)): x == y
    case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { strictlyEqual($0, $1) }
    case (.object(let x), .object(let y)):
      x.count == y.count && x.keys.allSatisfy { y.has($0) && strictlyEqual(x[$0], y[$0]) }
    default: a == b
    }
  }

  /// JavaScript `a < b`: strings compare by UTF-16 code units, anything else as numbers (`NaN` gives false).
  static func less(_ a: TemplateValue, _ b: TemplateValue) -> Bool? {
    let (pa, pb) = (a.primitive, b.primitive)
    if case .string(let x) = pa, case .string(let y) = pb { return x.utf16.lexicographicallyPrecedes(y.utf16) }
    let (x, y) = (pa.jsNumber, pb.jsNumber)
    if x.isNaN || y.isNaN { return nil }
    return x < y
  }

  // MARK: numbers

  /// A number as JavaScript's `Number.prototype.toString()` writes it: `1`, `1.5`, `0.1`, `1e+21`, `1e-7`,
  /// `NaN`, `Infinity`.
  static func format(_ n: Double) -> String {
    if n.isNaN { return "NaN" }
    if n.isInfinite { return n < 0 ? "-Infinity" : "Infinity" }
    if n == 0 { return "0" }
    if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
    // Swift's description holds the same shortest round-trip digits; lay them out as ECMAScript does.
    let text = "\(abs(n))"
    let parts = text.split(separator: "e", maxSplits: 1)
    var exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    let mantissa = parts[0]
    var digits = Array(mantissa.filter { $0 != "." })
    var point =
      mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? digits.count
    while digits.first == "0", digits.count > 1 {
      digits.removeFirst()
      point -= 1
    }
    while digits.last == "0", digits.count > 1 { digits.removeLast() }
    exponent += point
    let k = digits.count
    let sign = n < 0 ? "-" : ""
    let all = String(digits)
    if k <= exponent, exponent <= 21 { return sign + all + String(repeating: "0", count: exponent - k) }
    if 0 < exponent, exponent <= 21 {
      return sign + String(digits[..<exponent]) + "." + String(digits[exponent...])
    }
    if -6 < exponent, exponent <= 0 { return sign + "0." + String(repeating: "0", count: -exponent) + all }
    let e = exponent - 1
    let tail = k == 1 ? "" : "." + String(digits[1...])
    return sign + String(digits[0]) + tail + "e" + (e < 0 ? "-" : "+") + String(abs(e))
  }

  /// ECMAScript StringToNumber: blank is 0, decimal and `0x`/`0o`/`0b` literals and `Infinity` parse,
  /// anything else is `NaN`.
  static func number(from text: String) -> Double {
    let s = text.unicodeScalars.trimmingJSWhitespace()
    if s.isEmpty { return 0 }
    let chars = Array(s)
    if chars.count > 2, chars[0] == "0" {
      let radix: Int? =
        switch chars[1] {
        case "x", "X": 16
        case "o", "O": 8
        case "b", "B": 2
        default: nil
        }
      if let radix {
        var value = 0.0
        for c in chars[2...] {
          guard let d = Int(String(c), radix: radix) else { return .nan }
          value = value * Double(radix) + Double(d)
        }
        return value
      }
    }
    var i = 0
    var negative = false
    if chars[0] == "+" || chars[0] == "-" {
      negative = chars[0] == "-"
      i = 1
    }
    let rest = String(String.UnicodeScalarView(chars[i...]))
    if rest == "Infinity" { return negative ? -.infinity : .infinity }
    guard isDecimalLiteral(chars[i...]), let value = Double(rest) else { return .nan }
    return negative ? -value : value
  }

  /// `digits [. digits] [e [+-] digits]` or `. digits [exponent]`, with at least one digit in the mantissa.
  private static func isDecimalLiteral(_ chars: ArraySlice<Unicode.Scalar>) -> Bool {
    var i = chars.startIndex
    var mantissaDigits = 0
    while i < chars.endIndex, ("0"..."9").contains(chars[i]) {
      i += 1
      mantissaDigits += 1
    }
    if i < chars.endIndex, chars[i] == "." {
      i += 1
      while i < chars.endIndex, ("0"..."9").contains(chars[i]) {
        i += 1
        mantissaDigits += 1
      }
    }
    guard mantissaDigits > 0 else { return false }
    if i < chars.endIndex, chars[i] == "e" || chars[i] == "E" {
      i += 1
      if i < chars.endIndex, chars[i] == "+" || chars[i] == "-" { i += 1 }
      var exponentDigits = 0
      while i < chars.endIndex, ("0"..."9").contains(chars[i]) {
        i += 1
        exponentDigits += 1
      }
      guard exponentDigits > 0 else { return false }
    }
    return i == chars.endIndex
  }

  /// Whether a scalar is JavaScript whitespace (`\s` in a regular expression, and what `trim` removes).
  static func isJSWhitespace(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
    default: false
    }
  }

  // MARK: JSON

  /// `JSON.stringify(value, null, indent)`; `nil` for `undefined` (which stringifies to nothing).
  func jsonText(indent: String = "") -> String? {
    var out = ""
    guard writeJSON(into: &out, indent: indent, level: 0) else { return nil }
    return out
  }

  private func writeJSON(into out: inout String, indent: String, level: Int) -> Bool {
    switch self {
    case .undefined: return false
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += n.isFinite ? TemplateValue.format(n) : "null"
    case .string(let s): TemplateValue.appendJSONQuoted(s, to: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return true
      }
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        TemplateValue.newline(&out, indent: indent, level: level + 1)
        if !item.writeJSON(into: &out, indent: indent, level: level + 1) { out += "null" }
      }
      TemplateValue.newline(&out, indent: indent, level: level)
      out += "]"
    case .object(let object):
      var first = true
      out += "{"
      for key in object.keys {
        let value = object[key]
        if case .undefined = value { continue }
        if !first { out += "," }
        first = false
        TemplateValue.newline(&out, indent: indent, level: level + 1)
        TemplateValue.appendJSONQuoted(key, to: &out)
        out += indent.isEmpty ? ":" : ": "
        _ = value.writeJSON(into: &out, indent: indent, level: level + 1)
      }
      if !first { TemplateValue.newline(&out, indent: indent, level: level) }
      out += "}"
    }
    return true
  }

  private static func newline(_ out: inout String, indent: String, level: Int) {
    guard !indent.isEmpty else { return }
    out += "\n"
    for _ in 0..<level { out += indent }
  }

  /// A JSON string literal as `JSON.stringify` writes it.
  static func appendJSONQuoted(_ s: String, to out: inout String) {
    out += "\""
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
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}

extension String.UnicodeScalarView {
  /// The scalars without leading and trailing JavaScript whitespace.
  func trimmingJSWhitespace() -> String.UnicodeScalarView {
    guard let start = firstIndex(where: { !TemplateValue.isJSWhitespace($0) }),
      let end = lastIndex(where: { !TemplateValue.isJSWhitespace($0) })
    else { return String.UnicodeScalarView() }
    return String.UnicodeScalarView(self[start...end])
  }
}
