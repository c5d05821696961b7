import Foundation

// Hand-written: no Swift package on this machine implements Jinja/nunjucks (see TemplateParser.swift).
// Each filter does what nunjucks 3.2's does (src/filters.js), JavaScript conversions included; where the
// JavaScript would throw a TypeError (`{{ 5 | upper }}`), the filter fails with a located error.

/// The filters a template can use: nunjucks' `default`/`d`, `join`, `replace`, `truncate`, `round`,
/// `dump`, `length`, `first`, `last`, `upper`, `lower`, `title`, `capitalize`, `trim`, `safe`, `abs`, `int`,
/// `float`, `string`; promptfoo's `load`; evalgate's `json` (an alias of `dump`).
enum TemplateFilters {
  /// Every filter name.
  static let names: Set<String> = [
    "default", "d", "join", "replace", "truncate", "round", "dump", "json", "load", "length", "first", "last",
    "upper", "lower", "title", "capitalize", "trim", "safe", "abs", "int", "float", "string",
  ]

  /// Applies filter `name` to `input`.
  /// - Throws: ``TemplateError`` at `offset` when the filter cannot take the value.
  static func apply(
    _ name: String, to input: TemplateValue, arguments: [TemplateValue], offset: Int
  ) throws(TemplateError) -> TemplateValue {
    let arg = { (i: Int) in i < arguments.count ? arguments[i] : TemplateValue.undefined }
    func fail(_ expected: String) -> TemplateError {
      TemplateError("filter '\(name)' expects \(expected), got \(input.kindName)", at: offset)
    }
    func string(_ value: TemplateValue) throws(TemplateError) -> String {
      guard case .string(let s) = value else { throw fail("a string") }
      return s
    }
    switch name {
    case "default", "d":
      if arg(1).isTruthy { return input.isTruthy ? input : arg(0) }
      return input == .undefined ? arg(0) : input
    case "join":
      guard case .array(var items) = input else { throw fail("a list") }
      if arg(1).isTruthy { items = items.map { TemplateEvaluator.member($0, arg(1)) } }
      let separator = arg(0).isTruthy ? arg(0).jsString : ""
      return .string(items.map(\.output).joined(separator: separator))
    case "replace":
      return replace(input, old: arg(0), new: arg(1), limit: arg(2))
    case "truncate":
      return try truncate(normalized(input), length: arg(0), killWords: arg(1), end: arg(2), fail: fail)
    case "round":
      let precision = arg(0).isTruthy ? arg(0).jsNumber : 0
      let factor = TemplateEvaluator.power(10, precision)
      let scaled = input.jsNumber * factor
      let rounded: Double =
        switch arg(1) {
        case .string("ceil"): scaled.rounded(.up)
        case .string("floor"): scaled.rounded(.down)
        default: jsRound(scaled)
        }
      return .number(rounded / factor)
    case "dump", "json":
      return input.jsonText(indent: indent(arg(0))).map(TemplateValue.string) ?? .undefined
    case "load":
      guard let parsed = JSONValue.parse(input.jsString) else {
        throw TemplateError("filter 'load' could not parse its input as JSON", at: offset)
      }
      return TemplateValue(parsed)
    case "length":
      switch normalized(input) {
      case .object(let o): return .number(Double(o.count))
      case .array(let items): return .number(Double(items.count))
      case .string(let s): return .number(Double(s.utf16.count))
      default: return .undefined
      }
    case "first", "last":
      switch input {
      case .undefined, .null: throw fail("a list or a string")
      case .array(let items): return (name == "first" ? items.first : items.last) ?? .undefined
      case .string(let s):
        guard let unit = name == "first" ? s.utf16.first : s.utf16.last else { return .undefined }
        return .string(String(decoding: [unit], as: UTF16.self))
      case .object(let o): return name == "first" ? o["0"] : .undefined
      default: return .undefined
      }
    case "upper": return .string(try string(normalized(input)).uppercased())
    case "lower": return .string(try string(normalized(input)).lowercased())
    case "capitalize": return .string(capitalized(try string(normalized(input))))
    case "title":
      let words = try string(normalized(input)).split(separator: " ", omittingEmptySubsequences: false)
      return .string(words.map { capitalized(String($0)) }.joined(separator: " "))
    case "trim": return .string(String(try string(input).unicodeScalars.trimmingJSWhitespace()))
    case "safe", "string":
      if name == "string", input == .undefined || input == .null { throw fail("a value") }
      return .string(input.output)
    case "abs": return .number(abs(input.jsNumber))
    case "int":
      let base = arg(1) == .undefined ? 10 : Int(arg(1).jsNumber.isFinite ? arg(1).jsNumber : 10)
      let value = parseInt(input.jsString, radix: base)
      return value.isNaN ? arg(0) : .number(value)
    case "float":
      let value = parseFloat(input.jsString)
      return value.isNaN ? arg(0) : .number(value)
    default:
      throw TemplateError("unknown filter '\(name)'", at: offset)
    }
  }

  /// nunjucks' `normalize`: `null`, `undefined` and `false` become the empty string.
  private static func normalized(_ value: TemplateValue) -> TemplateValue {
    switch value {
    case .undefined, .null, .bool(false): .string("")
    default: value
    }
  }

  /// JavaScript's `Math.round`: halves go up (`-2.5` → `-2`).
  static func jsRound(_ x: Double) -> Double {
    guard x.isFinite else { return x }
    let down = x.rounded(.down)
    return x - down >= 0.5 ? down + 1 : down
  }

  /// `JSON.stringify`'s third argument: a number of spaces (at most 10) or a string (its first 10 units).
  private static func indent(_ value: TemplateValue) -> String {
    switch value {
    case .number(let n) where n >= 1: String(repeating: " ", count: Int(min(10, n)))
    case .string(let s): String(decoding: s.utf16.prefix(10), as: UTF16.self)
    default: ""
    }
  }

  /// Lower-case, then the first character upper-case (as nunjucks' `capitalize`, on the first UTF-16 unit).
  private static func capitalized(_ s: String) -> String {
    let lower = s.lowercased()
    guard let first = lower.unicodeScalars.first, first.value < 0x10000 else { return lower }
    return String(first).uppercased() + String(lower.unicodeScalars.dropFirst())
  }

  /// nunjucks' `replace` with a string to find: every occurrence (or the first `limit`); a value that is
  /// not a string or number comes back unchanged.
  private static func replace(
    _ input: TemplateValue, old: TemplateValue, new: TemplateValue, limit: TemplateValue
  ) -> TemplateValue {
    let needle: String
    switch old {
    case .string(let s): needle = s
    case .number: needle = old.jsString
    default: return input
    }
    let text: String
    switch input {
    case .string(let s): text = s
    case .number: text = input.jsString
    default: return input
    }
    let replacement = new.jsString
    if needle.isEmpty {
      let units = Array(text.unicodeScalars).map(String.init)
      return .string(replacement + units.joined(separator: replacement) + replacement)
    }
    let maximum: Double = limit == .undefined ? -1 : limit.jsNumber
    if maximum == 0 { return .string(text) }
    let haystack = Array(text.utf16)
    let pattern = Array(needle.utf16)
    var out: [UInt16] = []
    var position = 0
    var count = 0.0
    while maximum == -1 || count < maximum, let found = haystack[position...].firstRange(of: pattern) {
      out += haystack[position..<found.lowerBound]
      out += replacement.utf16
      position = found.upperBound
      count += 1
    }
    out += haystack[position...]
    return .string(String(decoding: out, as: UTF16.self))
  }

  private static func truncate(
    _ input: TemplateValue, length: TemplateValue, killWords: TemplateValue, end: TemplateValue,
    fail: (String) -> TemplateError
  ) throws(TemplateError) -> TemplateValue {
    let limit = length.isTruthy ? length.jsNumber : 255
    switch input {
    case .array(let items) where Double(items.count) <= limit: return input
    case .string: break
    default: throw fail("a string")
    }
    guard case .string(let text) = input else { return input }
    let units = Array(text.utf16)
    if Double(units.count) <= limit { return input }
    let cut = limit.isNaN ? 0 : max(0, min(units.count, Int(limit.rounded(.towardZero))))
    var kept: ArraySlice<UInt16>
    if killWords.isTruthy {
      kept = units[..<cut]
    } else {
      let from = min(cut, units.count - 1)
      let space = units[...from].lastIndex(of: 0x20)
      kept = units[..<(space ?? cut)]
    }
    let tail = end == .undefined || end == .null ? "..." : end.jsString
    return .string(String(decoding: kept, as: UTF16.self) + tail)
  }

  /// JavaScript's `parseInt(text, radix)`: leading whitespace and sign, then the longest run of digits.
  static func parseInt(_ text: String, radix: Int) -> Double {
    var chars = Array(text.unicodeScalars.drop(while: TemplateValue.isJSWhitespace))[...]
    var sign = 1.0
    if let c = chars.first, c == "+" || c == "-" {
      sign = c == "-" ? -1 : 1
      chars = chars.dropFirst()
    }
    var base = radix == 0 ? 10 : radix
    guard (2...36).contains(base) else { return .nan }
    if base == 16 || radix == 0, chars.count >= 2, chars.first == "0",
      chars.dropFirst().first == "x" || chars.dropFirst().first == "X"
    {
      chars = chars.dropFirst(2)
      base = 16
    }
    var value = 0.0
    var digits = 0
    for c in chars {
      guard let d = Int(String(c), radix: base) else { break }
      value = value * Double(base) + Double(d)
      digits += 1
    }
    return digits == 0 ? .nan : sign * value
  }

  /// JavaScript's `parseFloat(text)`: the longest decimal literal (or `Infinity`) after leading whitespace.
  static func parseFloat(_ text: String) -> Double {
    let chars = Array(text.unicodeScalars.drop(while: TemplateValue.isJSWhitespace))
    var best = Double.nan
    var i = 0
    if i < chars.count, chars[i] == "+" || chars[i] == "-" { i += 1 }
    let rest = String(String.UnicodeScalarView(chars[i...]))
    if rest.hasPrefix("Infinity") { return i > 0 && chars[0] == "-" ? -.infinity : .infinity }
    // Try every prefix end, longest valid literal wins (templates are short; this stays simple).
    var end = chars.count
    while end > i {
      let candidate = String(String.UnicodeScalarView(chars[0..<end]))
      let number = TemplateValue.number(from: candidate)
      if !number.isNaN, !candidate.unicodeScalars.contains(where: { "xXoObB".unicodeScalars.contains($0) }),
        candidate.unicodeScalars.last.map({ ("0"..."9").contains($0) || $0 == "." }) ?? false
      {
        best = number
        break
      }
      end -= 1
    }
    return best
  }
}
