// Hand-written: exact comparison of decimal integer text with each other and with `Double`s needs only
// digit-string arithmetic; a big-number package (attaswift/BigInt) would be a new dependency of the core for
// these few operations.

/// Exact arithmetic on JSON integers written as decimal digits (see ``JSONValue/bigInteger(_:)``).
enum JSONExactNumber {
  /// 2⁵³: every integer up to this magnitude is exactly a `Double`.
  static let maxExactDouble = 9_007_199_254_740_992.0

  /// `[+-]?[0-9]+` without `+` and leading zeros (`-0` is `0`); `nil` when `text` is not such digits.
  static func normalizedInteger(_ text: some StringProtocol) -> String? {
    var utf8 = Substring(text).utf8[...]
    var negative = false
    if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      negative = first == UInt8(ascii: "-")
      utf8 = utf8.dropFirst()
    }
    guard !utf8.isEmpty, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
    let magnitude = utf8.drop(while: { $0 == UInt8(ascii: "0") })
    if magnitude.isEmpty { return "0" }
    return (negative ? "-" : "") + String(decoding: magnitude, as: UTF8.self)
  }

  /// Whether a normalized integer's magnitude is at most 2⁵³.
  static func fitsDouble(_ normalized: String) -> Bool {
    let magnitude = normalized.utf8.first == UInt8(ascii: "-") ? normalized.utf8.dropFirst() : normalized.utf8[...]
    if magnitude.count != 16 { return magnitude.count < 16 }
    return !"9007199254740992".utf8.lexicographicallyPrecedes(magnitude)
  }

  /// -1, 0 or 1 as integer `a` is less than, equal to or greater than `b` (both `[+-]?[0-9]+`).
  static func compareIntegers(_ a: String, _ b: String) -> Int {
    let x = normalizedInteger(a) ?? a
    let y = normalizedInteger(b) ?? b
    let xNegative = x.utf8.first == UInt8(ascii: "-")
    let yNegative = y.utf8.first == UInt8(ascii: "-")
    if xNegative != yNegative { return xNegative ? -1 : 1 }
    let xm = xNegative ? x.utf8.dropFirst() : x.utf8[...]
    let ym = yNegative ? y.utf8.dropFirst() : y.utf8[...]
    var order = 0
    if xm.count != ym.count {
      order = xm.count < ym.count ? -1 : 1
    } else if !xm.elementsEqual(ym) {
      order = xm.lexicographicallyPrecedes(ym) ? -1 : 1
    }
    return xNegative ? -order : order
  }

  /// The exact decimal digits of a whole, finite `Double`; `nil` for fractions, infinities and NaN.
  static func integerDigits(of value: Double) -> String? {
    guard value.isFinite, value == value.rounded() else { return nil }
    if abs(value) < 9.223_372_036_854_775_807e18 { return String(Int64(value)) }
    // value = significand × 2^shift with shift ≥ 11 here: multiply out in base-10⁹ limbs.
    let base: UInt64 = 1_000_000_000
    var significand = UInt64(value.significandBitPattern) | (1 << 52)
    var shift = Int(value.exponent) - 52
    var limbs: [UInt64] = []
    while significand > 0 {
      limbs.append(significand % base)
      significand /= base
    }
    while shift > 0 {
      let step = min(shift, 32)
      var carry: UInt64 = 0
      for k in limbs.indices {
        let product = limbs[k] << UInt64(step) + carry
        limbs[k] = product % base
        carry = product / base
      }
      while carry > 0 {
        limbs.append(carry % base)
        carry /= base
      }
      shift -= step
    }
    var text = value < 0 ? "-" : ""
    for (k, limb) in limbs.reversed().enumerated() {
      let digits = String(limb)
      if k > 0 { text += String(repeating: "0", count: 9 - digits.count) }
      text += digits
    }
    return text
  }

  /// Canonical JSON text of an integer: as ``JSONValue/format(_:)`` writes the equal `Double` when there is
  /// one (so equal values give equal text), else the digits.
  static func canonicalText(ofInteger digits: String) -> String {
    if let rounded = Double(digits), let exact = integerDigits(of: rounded), compareIntegers(exact, digits) == 0 {
      return JSONValue.format(rounded)
    }
    return normalizedInteger(digits) ?? digits
  }

  /// -1, 0 or 1 comparing two numbers exactly when both are integers, else as `Double`s; `nil` if either is
  /// not a number (or is NaN).
  static func compare(_ a: JSONValue, _ b: JSONValue) -> Int? {
    if case .number(let x) = a, case .number(let y) = b {
      if x.isNaN || y.isNaN { return nil }
      return x < y ? -1 : x > y ? 1 : 0
    }
    if let x = integerText(a), let y = integerText(b) { return compareIntegers(x, y) }
    // One side is a fraction (|x| < 2^52) or infinite: its order against a big integer is that of Doubles.
    guard let x = a.numberValue, let y = b.numberValue, !x.isNaN, !y.isNaN else { return nil }
    return x < y ? -1 : x > y ? 1 : 0
  }

  /// The exact digits of an integer value (either case), else `nil`.
  static func integerText(_ value: JSONValue) -> String? {
    switch value {
    case .number(let n): integerDigits(of: n)
    case .bigInteger(let digits): digits
    default: nil
    }
  }
}
