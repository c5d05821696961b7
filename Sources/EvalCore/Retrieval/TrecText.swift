import Foundation

/// Byte-level helpers shared by the qrels and run parsers: whitespace-separated fields, comment and
/// blank lines, integers and scores read strictly (trec_eval's `atof` takes `1.5abc` as 1.5; evalgate
/// refuses it, a deliberate difference).
enum TrecText {
  static let space: UInt8 = 0x20
  static let tab: UInt8 = 0x09
  static let cr: UInt8 = 0x0D
  static let hash: UInt8 = 0x23

  /// Calls `body(start, end)` for each complete line of `p` (without its newline) and returns the bytes
  /// used; a partial last line is left for the next chunk unless `final`.
  @inline(__always)
  static func forEachLine(
    _ p: UnsafeBufferPointer<UInt8>, final: Bool, _ body: (Int, Int) throws -> Void
  ) rethrows -> Int {
    guard let base = p.baseAddress else { return 0 }
    var lineStart = 0
    while lineStart < p.count {
      let lineEnd: Int
      if let nl = memchr(base + lineStart, 0x0A, p.count - lineStart) {
        lineEnd = UnsafeRawPointer(nl) - UnsafeRawPointer(base)
      } else {
        guard final else { return lineStart }
        lineEnd = p.count
      }
      try body(lineStart, lineEnd)
      lineStart = lineEnd + 1
    }
    return p.count
  }

  @inline(__always) static func isBlank(_ b: UInt8) -> Bool {
    b == space || b == tab || b == cr || b == 0x0B || b == 0x0C
  }

  /// Up to `max` field ranges of `line[from..<to]`, and how many fields the line has in all (counted up
  /// to `max + 1`). `nil` for a blank or comment line (first non-blank byte `#`).
  @inline(__always)
  static func fields(
    _ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int, into out: inout [Range<Int>], max: Int
  ) -> Int? {
    out.removeAll(keepingCapacity: true)
    var i = from
    var count = 0
    while i < to {
      while i < to, isBlank(p[i]) { i += 1 }
      if i >= to { break }
      if count == 0, p[i] == hash { return nil }
      let start = i
      while i < to, !isBlank(p[i]) { i += 1 }
      count += 1
      if count <= max { out.append(start..<i) } else { break }
    }
    return count == 0 ? nil : count
  }

  /// A decimal integer with an optional sign, the whole field; `nil` otherwise.
  static func int(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
    var i = r.lowerBound
    var negative = false
    if i < r.upperBound, p[i] == 0x2D || p[i] == 0x2B {
      negative = p[i] == 0x2D
      i += 1
    }
    guard i < r.upperBound, r.count <= 18 else { return nil }
    var v = 0
    while i < r.upperBound {
      let d = Int(p[i]) - 48
      guard d >= 0, d <= 9 else { return nil }
      v = v * 10 + d
      i += 1
    }
    return negative ? -v : v
  }

  static let powers: [Double] = (0...22).map { pow(10, Double($0)) }

  /// A score: a decimal number (`2.129133`, `-1e-3`, `.5`), the whole field; `nil` otherwise. Short
  /// decimals take an exact fast path (Clinger's: the digits fit a Double exactly and so does the power of
  /// ten, so one division rounds correctly); anything else goes to `strtod`, so the value is always the
  /// correctly rounded Double, as C's `atof` gives.
  static func score(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Double? {
    var i = r.lowerBound
    let end = r.upperBound
    var negative = false
    if i < end, p[i] == 0x2D || p[i] == 0x2B {
      negative = p[i] == 0x2D
      i += 1
    }
    var mantissa: UInt64 = 0
    var digits = 0
    var fraction = 0
    var sawDigit = false
    while i < end, p[i] >= 0x30, p[i] <= 0x39 {
      if digits < 19 { mantissa = mantissa * 10 + UInt64(p[i] - 0x30) }
      if mantissa > 0 || digits > 0 { digits += 1 }
      if digits > 19 { return slow(p, r) }
      sawDigit = true
      i += 1
    }
    if i < end, p[i] == 0x2E {
      i += 1
      while i < end, p[i] >= 0x30, p[i] <= 0x39 {
        mantissa = mantissa &* 10 &+ UInt64(p[i] - 0x30)
        if mantissa > 0 { digits += 1 }
        fraction += 1
        if digits > 19 { return slow(p, r) }
        sawDigit = true
        i += 1
      }
    }
    guard sawDigit else { return slow(p, r) }
    if i < end { return slow(p, r) }  // an exponent, or junk: strtod decides (and must use every byte)
    guard mantissa < (1 << 53), fraction <= 22 else { return slow(p, r) }
    let v = Double(mantissa) / powers[fraction]
    return negative ? -v : v
  }

  /// `strtod` over the field; `nil` unless it reads every byte and the result is finite or an
  /// explicit infinity.
  static func slow(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Double? {
    guard r.count < 400 else { return nil }
    var text = Array(p[r])
    text.append(0)
    return text.withUnsafeBufferPointer { t -> Double? in
      guard let start = t.baseAddress else { return nil }
      let base = UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self)
      var endPointer: UnsafeMutablePointer<CChar>?
      let v = strtod(base, &endPointer)
      guard let endPointer, endPointer - UnsafeMutablePointer(mutating: base) == r.count else { return nil }
      return v.isNaN ? nil : v
    }
  }

  /// The bytes as a String for messages (invalid UTF-8 repaired).
  static func string(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: p[r]), as: UTF8.self)
  }
}
