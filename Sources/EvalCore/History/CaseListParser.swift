import Foundation

/// A record's case list (its contents between the brackets: each case's JSON, comma-separated) parsed as its
/// bytes arrive, in pieces cut anywhere (a store's chunks): each case is handed on as soon as its closing brace
/// is read. What it holds is the unfinished case at the end of the last piece, never the list, so reading a
/// record of 1,000,000 cases from its chunks costs a chunk and a case.
public struct CaseListParser: Sendable {
  /// The bytes of a case begun in an earlier piece.
  private var pending: [UInt8] = []
  /// Whether a case is being read (its `{` seen, its `}` not yet).
  private var inCase = false
  /// Nesting depth inside the case being read.
  private var depth = 0
  /// Inside a string of the case being read.
  private var inString = false
  /// The previous byte of that string was an unescaped backslash.
  private var escaped = false
  /// A case was read and no comma since.
  private var needComma = false
  /// How many bytes were fed (for the messages).
  private var offset = 0
  /// How many cases were handed on.
  public private(set) var count = 0

  /// A parser at the start of a list.
  public init() {}

  /// Reads the next piece, calling `body` with each case it completes, in order. A case that lies whole in the
  /// piece is parsed straight from it; the byte scan (``scan(_:from:_:)``) reads one begun in an earlier piece,
  /// one that runs past this piece's end, and anything that does not parse, to its end (where a broken case
  /// throws as it would have), so the bytes go through the parser once.
  /// - Throws: `DecodingError.dataCorrupted` when the bytes are not a list of cases; what `body` throws.
  public mutating func feed(
    _ piece: UnsafeRawBufferPointer, _ body: (RunRecord.CaseOutcome) throws -> Void
  ) throws {
    var i = inCase ? try scan(piece, from: 0, body) : 0
    while i < piece.count {
      let b = piece[i]
      switch b {
      case 0x20, 0x0A, 0x0D, 0x09: i += 1
      case 0x2C where needComma:
        needComma = false
        i += 1
      case 0x7B where !needComma:
        var scanner = JSONScanner(piece, at: i)
        if let outcome = try? scanner.caseOutcome() {
          i = scanner.position
          needComma = true
          count += 1
          try body(outcome)
        } else {
          i = try scan(piece, from: i, body)
        }
      default:
        throw JSONScanner.corrupt("unexpected '\(Character(Unicode.Scalar(b)))' at byte \(offset + i) of the cases")
      }
    }
    offset += piece.count
  }

  /// Reads one case byte by byte from `from` (its `{`, or the piece's start when it began in an earlier piece)
  /// to its closing brace, handing it to `body`; or to the piece's end, keeping its bytes for the next piece.
  /// Where the reading stopped.
  private mutating func scan(
    _ piece: UnsafeRawBufferPointer, from: Int, _ body: (RunRecord.CaseOutcome) throws -> Void
  ) throws -> Int {
    var start = 0  // where the case being read began in this piece (0 when it began in an earlier one)
    var i = from
    if !inCase {
      inCase = true
      depth = 1
      start = i
      i += 1
    }
    while i < piece.count {
      let b = piece[i]
      i += 1
      if inString {
        if escaped {
          escaped = false
        } else if b == 0x5C {
          escaped = true
        } else if b == 0x22 {
          inString = false
        }
        continue
      }
      switch b {
      case 0x22: inString = true
      case 0x7B, 0x5B: depth += 1
      case 0x7D, 0x5D:
        depth -= 1
        if depth == 0 {
          let outcome: RunRecord.CaseOutcome
          if pending.isEmpty {
            outcome = try Self.parse(UnsafeRawBufferPointer(rebasing: piece[start..<i]))
          } else {
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: piece[0..<i]))
            outcome = try pending.withUnsafeBytes { try Self.parse($0) }
            pending.removeAll(keepingCapacity: true)
          }
          inCase = false
          needComma = true
          count += 1
          try body(outcome)
          return i
        }
      default: break
      }
    }
    pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: piece[start..<piece.count]))
    return i
  }

  /// Reads the next piece (``feed(_:_:)-(UnsafeRawBufferPointer,_)``).
  /// - Throws: as that does.
  public mutating func feed(_ piece: Data, _ body: (RunRecord.CaseOutcome) throws -> Void) throws {
    try piece.withUnsafeBytes { try feed($0, body) }
  }

  /// Ends the list.
  /// - Throws: `DecodingError.dataCorrupted` when it ends inside a case or after a comma.
  public func finish() throws {
    if inCase { throw JSONScanner.corrupt("the cases end inside case \(count + 1)") }
    if !needComma && count > 0 { throw JSONScanner.corrupt("the cases end with a comma") }
  }

  /// One case's JSON, whole.
  static func parse(_ bytes: UnsafeRawBufferPointer) throws -> RunRecord.CaseOutcome {
    var scanner = JSONScanner(bytes)
    let outcome = try scanner.caseOutcome()
    scanner.skipSpace()
    guard scanner.position == bytes.count else { throw JSONScanner.corrupt("bytes after a case") }
    return outcome
  }
}
