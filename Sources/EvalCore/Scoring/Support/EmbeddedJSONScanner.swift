// Hand-written: see JSONExtraction.swift; this is the byte-level automaton its linear search runs.

/// Follows the family of JSON parses that share one stack of open brackets (see
/// ``JSONExtraction/firstEmbeddedRange(_:from:)``), byte by byte, accepting exactly what ``JSONParser``
/// accepts.
struct EmbeddedJSONScanner {
  private enum NumberState { case minus, zero, integer, dot, fraction, exponentMark, exponentSign, exponent }

  private enum Mode {
    case idle
    case value(first: Bool)
    case key(first: Bool)
    case colon
    case after
    case string(key: Bool)
    case escape(key: Bool)
    case hex(key: Bool, count: Int, code: UInt32, low: Bool)
    case needBackslash(key: Bool)
    case needU(key: Bool)
    case number(NumberState)
    case literal(word: Int, index: Int)
  }

  private struct Frame {
    var start: Int
    var isObject: Bool
  }

  private static let words: [[UInt8]] = [Array("true".utf8), Array("false".utf8), Array("null".utf8)]

  private var mode = Mode.idle
  private var frames: [Frame] = []
  /// Frames below `base` belong to parses that failed by nesting deeper than ``JSONParser/maximumDepth``.
  private var base = 0
  /// The candidate with the smallest start that parsed: its start and the offset of its closing bracket.
  private(set) var found: (Int, Int)?

  var isIdle: Bool { if case .idle = mode { true } else { false } }

  var lowestAliveStart: Int? { frames.count > base ? frames[base].start : nil }

  /// Feeds the byte at offset `p`; returns whether a candidate starting at `p` joined this family.
  mutating func feed(_ b: UInt8, at p: Int, mayStart: Bool) -> Bool {
    while true {
      switch mode {
      case .idle:
        guard mayStart, b == UInt8(ascii: "[") || b == UInt8(ascii: "{") else { return false }
        push(p, isObject: b == UInt8(ascii: "{"))
        return true
      case .value(let first):
        if isSpace(b) { return false }
        if first, b == UInt8(ascii: "]") {
          close(p)
          return false
        }
        return startValue(b, at: p, mayStart: mayStart)
      case .key(let first):
        if isSpace(b) { return false }
        if b == UInt8(ascii: "\"") {
          mode = .string(key: true)
          return false
        }
        if first, b == UInt8(ascii: "}") {
          close(p)
          return false
        }
        return fail(b, at: p, mayStart: mayStart)
      case .colon:
        if isSpace(b) { return false }
        guard b == UInt8(ascii: ":") else { return fail(b, at: p, mayStart: mayStart) }
        mode = .value(first: false)
        return false
      case .after:
        if isSpace(b) { return false }
        let isObject = frames[frames.count - 1].isObject
        if b == UInt8(ascii: ",") {
          mode = isObject ? .key(first: false) : .value(first: false)
        } else if b == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
          close(p)
        } else {
          return fail(b, at: p, mayStart: mayStart)
        }
        return false
      case .string(let key):
        if b == UInt8(ascii: "\"") {
          mode = key ? .colon : .after
        } else if b == UInt8(ascii: "\\") {
          mode = .escape(key: key)
        } else if b < 0x20 {
          return fail(b, at: p, mayStart: mayStart)
        }
        return false
      case .escape(let key):
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
          UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
          mode = .string(key: key)
        case UInt8(ascii: "u"): mode = .hex(key: key, count: 0, code: 0, low: false)
        default: return fail(b, at: p, mayStart: mayStart)
        }
        return false
      case .hex(let key, let count, let code, let low):
        guard let digit = hexValue(b) else { return fail(b, at: p, mayStart: mayStart) }
        let value = code << 4 | digit
        guard count == 3 else {
          mode = .hex(key: key, count: count + 1, code: value, low: low)
          return false
        }
        let isHigh = (0xD800...0xDBFF).contains(value)
        let isLow = (0xDC00...0xDFFF).contains(value)
        if low ? !isLow : isLow { return fail(b, at: p, mayStart: mayStart) }
        mode = !low && isHigh ? .needBackslash(key: key) : .string(key: key)
        return false
      case .needBackslash(let key):
        guard b == UInt8(ascii: "\\") else { return fail(b, at: p, mayStart: mayStart) }
        mode = .needU(key: key)
        return false
      case .needU(let key):
        guard b == UInt8(ascii: "u") else { return fail(b, at: p, mayStart: mayStart) }
        mode = .hex(key: key, count: 0, code: 0, low: true)
        return false
      case .number(let state):
        if let next = step(state, b) {
          guard let next else { return fail(b, at: p, mayStart: mayStart) }
          mode = .number(next)
          return false
        }
        mode = .after  // The number ended before `b`: read `b` after it.
      case .literal(let word, let index):
        let letters = EmbeddedJSONScanner.words[word]
        guard b == letters[index] else { return fail(b, at: p, mayStart: mayStart) }
        mode = index + 1 == letters.count ? .after : .literal(word: word, index: index + 1)
        return false
      }
    }
  }

  /// A value starts at `b`.
  private mutating func startValue(_ b: UInt8, at p: Int, mayStart: Bool) -> Bool {
    switch b {
    case UInt8(ascii: "["), UInt8(ascii: "{"):
      push(p, isObject: b == UInt8(ascii: "{"))
      return true
    case UInt8(ascii: "\""): mode = .string(key: false)
    case UInt8(ascii: "-"): mode = .number(.minus)
    case UInt8(ascii: "0"): mode = .number(.zero)
    case UInt8(ascii: "1")...UInt8(ascii: "9"): mode = .number(.integer)
    case UInt8(ascii: "t"): mode = .literal(word: 0, index: 1)
    case UInt8(ascii: "f"): mode = .literal(word: 1, index: 1)
    case UInt8(ascii: "n"): mode = .literal(word: 2, index: 1)
    default: return fail(b, at: p, mayStart: mayStart)
    }
    return false
  }

  /// The number state after `b`: `.some(nil)` when `b` cannot continue an unfinished number, `nil` when the
  /// number is complete before `b`.
  private func step(_ state: NumberState, _ b: UInt8) -> NumberState?? {
    let digit = b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
    let exponent = b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    switch state {
    case .minus: return b == UInt8(ascii: "0") ? .zero : digit ? .integer : .some(nil)
    case .zero: return b == UInt8(ascii: ".") ? .dot : exponent ? .exponentMark : nil
    case .integer: return digit ? .integer : b == UInt8(ascii: ".") ? .dot : exponent ? .exponentMark : nil
    case .dot: return digit ? .fraction : .some(nil)
    case .fraction: return digit ? .fraction : exponent ? .exponentMark : nil
    case .exponentMark:
      return digit ? .exponent : b == UInt8(ascii: "+") || b == UInt8(ascii: "-") ? .exponentSign : .some(nil)
    case .exponentSign: return digit ? .exponent : .some(nil)
    case .exponent: return digit ? .exponent : nil
    }
  }

  private func hexValue(_ b: UInt8) -> UInt32? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

  private mutating func push(_ p: Int, isObject: Bool) {
    frames.append(Frame(start: p, isObject: isObject))
    if frames.count - base > JSONParser.maximumDepth { base += 1 }
    mode = isObject ? .key(first: true) : .value(first: true)
  }

  /// The innermost open bracket closes at `p`: the candidate that opened it parsed.
  private mutating func close(_ p: Int) {
    let frame = frames.removeLast()
    if found.map({ frame.start < $0.0 }) ?? true { found = (frame.start, p) }
    if frames.count <= base {
      frames.removeAll(keepingCapacity: true)
      base = 0
      mode = .idle
    } else {
      mode = .after
    }
  }

  /// Every parse in the family fails at `p`; a new candidate may start there.
  private mutating func fail(_ b: UInt8, at p: Int, mayStart: Bool) -> Bool {
    frames.removeAll(keepingCapacity: true)
    base = 0
    mode = .idle
    guard mayStart, b == UInt8(ascii: "[") || b == UInt8(ascii: "{") else { return false }
    push(p, isObject: b == UInt8(ascii: "{"))
    return true
  }
}
