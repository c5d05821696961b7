// Hand-written: Yams resolves plain scalars by YAML 1.1's rules (`yes`, `on`, `y`… are booleans, `017` is
// octal, `1_000` and `1:30` are integers, dates are timestamps); promptfoo reads YAML 1.2's core schema.
// Yams' Resolver could be given 1.2 patterns, but it would still convert values with its 1.1 constructors
// and run a regular expression per scalar; this is a few byte comparisons (tested against such a Resolver).

import EvalCore
import Foundation

/// The YAML 1.2 core schema (YAML 1.2.2, section 10.3.2) for plain, untagged scalars.
enum YAMLCoreSchema {
  /// What a plain scalar denotes.
  enum Resolved: Equatable {
    case null
    case bool(Bool)
    /// `.number` or, beyond ±2⁵³, `.bigInteger`: integers are exact.
    case int(JSONValue)
    case float(Double)
    case string
  }

  /// Resolves `text` as a plain scalar:
  /// - null: `null`, `Null`, `NULL`, `~`, or nothing;
  /// - bool: `true`, `True`, `TRUE`, `false`, `False`, `FALSE`;
  /// - int: `[-+]?[0-9]+` (decimal, leading zeros allowed), `0o[0-7]+`, `0x[0-9a-fA-F]+`;
  /// - float: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?(\.inf|\.Inf|\.INF)`,
  ///   `\.nan|\.NaN|\.NAN`;
  /// - anything else is a string, exactly as written.
  static func resolve(_ text: String) -> Resolved {
    guard let first = text.utf8.first else { return .null }
    switch text {
    case "null", "Null", "NULL", "~": return .null
    case "true", "True", "TRUE": return .bool(true)
    case "false", "False", "FALSE": return .bool(false)
    case ".nan", ".NaN", ".NAN": return .float(.nan)
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
    case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
    default: break
    }
    // Every number starts with a digit, a sign or a point.
    guard
      (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: "-")
        || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
    else { return .string }
    let u = Array(text.utf8)
    if u.count > 2, first == UInt8(ascii: "0"), u[1] == UInt8(ascii: "o") || u[1] == UInt8(ascii: "x") {
      let radix = u[1] == UInt8(ascii: "o") ? 8 : 16
      return radixDigits(u.dropFirst(2), radix: radix).map { .int(JSONValue.integer($0)) } ?? .string
    }
    var i = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") ? 1 : 0
    let integerDigits = digitRun(u, from: &i)
    if integerDigits > 0, i == u.count { return .int(JSONValue.integer(text)) }
    // A float: digits with an optional fraction, or a fraction alone, then an optional exponent.
    var fractionDigits = 0
    var hasDot = false
    if i < u.count, u[i] == UInt8(ascii: ".") {
      hasDot = true
      i += 1
      fractionDigits = digitRun(u, from: &i)
    }
    guard integerDigits > 0 || (hasDot && fractionDigits > 0) else { return .string }
    if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
      i += 1
      if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i += 1 }
      guard digitRun(u, from: &i) > 0 else { return .string }
    }
    guard i == u.count else { return .string }
    // Swift's Double(_:) wants digits on both sides of the point.
    var normalized = text.hasPrefix("+") ? String(text.dropFirst()) : text
    normalized = normalized.replacingOccurrences(of: ".e", with: ".0e").replacingOccurrences(of: ".E", with: ".0E")
    if normalized.hasSuffix(".") { normalized += "0" }
    if normalized.hasPrefix(".") || normalized.hasPrefix("-.") {
      normalized = normalized.replacingOccurrences(of: ".", with: "0.", options: [], range: nil)
    }
    return Double(normalized).map(Resolved.float) ?? .string
  }

  private static func digitRun(_ u: [UInt8], from i: inout Int) -> Int {
    let start = i
    while i < u.count, u[i] >= UInt8(ascii: "0"), u[i] <= UInt8(ascii: "9") { i += 1 }
    return i - start
  }

  /// Decimal digits of an octal or hexadecimal numeral of any length, or `nil` if a digit is out of range.
  static func radixDigits(_ digits: ArraySlice<UInt8>, radix: Int) -> String? {
    // Base-10⁹ limbs, least significant first.
    var limbs: [UInt64] = [0]
    for byte in digits {
      guard let digit = Int(String(UnicodeScalar(byte)), radix: radix) else { return nil }
      var carry = UInt64(digit)
      for k in limbs.indices {
        let value = limbs[k] * UInt64(radix) + carry
        limbs[k] = value % 1_000_000_000
        carry = value / 1_000_000_000
      }
      if carry > 0 { limbs.append(carry) }
    }
    var text = ""
    for (k, limb) in limbs.reversed().enumerated() {
      let part = String(limb)
      if k > 0 { text += String(repeating: "0", count: 9 - part.count) }
      text += part
    }
    return text
  }
}
