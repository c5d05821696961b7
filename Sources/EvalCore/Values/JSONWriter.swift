/// Writes JSON as the same bytes as `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes`: the
/// caller puts an object's keys in sorted order, the writer spells each value exactly as the encoder does.
/// Hand-written because the encoder builds a tree of boxed values per call: at 100,000 cases the results.jsonl
/// lines and the history record each spent seconds there (docs/benchmarks.md, sessions 8 to 10). Tests hold
/// every user of it to `JSONEncoder`'s output.
public struct JSONWriter: Sendable {
  /// What was written so far.
  public var bytes: [UInt8] = []

  /// An empty writer.
  public init() {}

  /// Appends raw bytes (already JSON).
  public mutating func raw(_ text: some Sequence<UInt8>) { bytes.append(contentsOf: text) }

  /// Appends one raw byte (a bracket, a comma).
  public mutating func raw(_ byte: UInt8) { bytes.append(byte) }

  /// An integer, in decimal.
  public mutating func int(_ n: Int) {
    if (0..<10).contains(n) {
      bytes.append(UInt8(ascii: "0") + UInt8(n))
    } else {
      bytes.append(contentsOf: String(n).utf8)
    }
  }

  /// `true` or `false`.
  public mutating func bool(_ b: Bool) { bytes.append(contentsOf: (b ? "true" : "false").utf8) }

  /// As `JSONEncoder` writes a finite `Double`: its shortest round-trip text, without a trailing `.0`.
  public mutating func double(_ d: Double) {
    // A whole number below 2^52 (a score of 1, a token count, a weight) is its integer's digits, as its
    // description less `.0` spells it; `description` cost 2,300 instructions a number (docs/benchmarks.md,
    // session 14). −0 keeps its sign through `description`.
    if d == d.rounded(.towardZero), abs(d) < 4_503_599_627_370_496, !(d == 0 && d.sign == .minus) {
      int(Int(d))
      return
    }
    var text = d.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    bytes.append(contentsOf: text.utf8)
  }

  /// A `Double` as an encoder whose non-conforming float strategy is `.convertToString(positiveInfinity:
  /// "Infinity", negativeInfinity: "-Infinity", nan: "NaN")` writes it: those three as strings.
  public mutating func doubleOrName(_ d: Double) {
    if d.isNaN {
      string("NaN")
    } else if d.isInfinite {
      string(d < 0 ? "-Infinity" : "Infinity")
    } else {
      double(d)
    }
  }

  private static let hex = Array("0123456789abcdef".utf8)

  /// A JSON string: `"` and `\` escaped, control characters as `\n`-style or `\u00xx` escapes, the
  /// rest (slashes included) as is.
  public mutating func string(_ s: String) {
    bytes.append(UInt8(ascii: "\""))
    // Most strings (keys, ids, outputs) need no escape: copied whole rather than byte by byte.
    let plain =
      s.utf8.withContiguousStorageIfAvailable { Self.needsNoEscape($0) }
      ?? !s.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    if plain {
      bytes.append(contentsOf: s.utf8)
      bytes.append(UInt8(ascii: "\""))
      return
    }
    for byte in s.utf8 {
      switch byte {
      case UInt8(ascii: "\""): bytes += [0x5C, 0x22]
      case UInt8(ascii: "\\"): bytes += [0x5C, 0x5C]
      case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
      case 0x0D: bytes += [0x5C, UInt8(ascii: "r")]
      case 0x09: bytes += [0x5C, UInt8(ascii: "t")]
      case 0x08: bytes += [0x5C, UInt8(ascii: "b")]
      case 0x0C: bytes += [0x5C, UInt8(ascii: "f")]
      case 0..<0x20:
        bytes += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]]
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Whether no byte of `text` is a control character, `"` or `\`: eight bytes at a time (the byte-by-byte
  /// `contains(where:)` was 2 % of a large run's instructions, every key and value of every results.jsonl line).
  static func needsNoEscape(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    // A byte of `x` is zero: the high bit of that byte is set in `hasZero(x)` (exact as a test of any byte).
    func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
    // A byte of `x` is below 0x20: as `hasZero`, for "less than" (exact for bounds up to 128).
    func hasControl(_ x: UInt64) -> Bool { (x &- ones &* 0x20) & ~x & highs != 0 }
    var i = 0
    let n = text.count
    if let base = UnsafeRawPointer(text.baseAddress) {
      while i + 8 <= n {
        let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        if hasControl(x) || hasZero(x ^ (ones &* 0x22)) || hasZero(x ^ (ones &* 0x5C)) { return false }
        i += 8
      }
    }
    while i < n {
      let byte = text[i]
      if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
      i += 1
    }
    return true
  }

  /// A `[String: Double]` as the encoder writes it with sorted keys (non-conforming values by name).
  public mutating func object(_ members: [String: Double]) {
    var o = Object()
    for key in Self.sorted(members.keys) {
      o.key(key, &self)
      doubleOrName(members[key] ?? 0)
    }
    o.close(&self)
  }

  /// Keys in the order `.sortedKeys` writes them: by their UTF-8 bytes, not by `String`'s `<` (which compares
  /// canonically equivalent text as equal: `"e\u{301}/"` and `"é\r"` sort apart by their first letter's bytes).
  public static func sorted(_ keys: some Collection<String>) -> [String] {
    keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  /// Opens an object on its first key and puts commas between members.
  public struct Object: Sendable {
    private var opened = false

    /// An object with no member yet.
    public init() {}

    /// Writes the next key (callers go in sorted order) and its colon.
    public mutating func key(_ name: String, _ w: inout JSONWriter) {
      if opened {
        w.raw(UInt8(ascii: ","))
      } else {
        w.raw(UInt8(ascii: "{"))
        opened = true
      }
      w.string(name)
      w.raw(UInt8(ascii: ":"))
    }

    /// Writes the next key, a literal that needs no escaping (a field name), and its colon: its bytes copied as
    /// they are. `results.jsonl` writes 30 or more keys a case; through ``key(_:_:)`` they were 15,000
    /// instructions of its 37,000 (docs/benchmarks.md, session 15).
    public mutating func key(literal name: StaticString, _ w: inout JSONWriter) {
      w.raw(opened ? UInt8(ascii: ",") : UInt8(ascii: "{"))
      opened = true
      w.raw(UInt8(ascii: "\""))
      w.bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
      w.raw(UInt8(ascii: "\""))
      w.raw(UInt8(ascii: ":"))
    }

    /// Ends the object (`{}` when it got no key).
    public mutating func close(_ w: inout JSONWriter) {
      if !opened { w.raw(UInt8(ascii: "{")) }
      w.raw(UInt8(ascii: "}"))
    }
  }
}
