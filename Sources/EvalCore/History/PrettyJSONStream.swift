import Foundation

/// Compact JSON laid out as `JSONEncoder`'s `.prettyPrinted` lays it out (two spaces a level, `" : "` between a
/// key and its value, an empty container as its brackets on lines of their own), as the text arrives in pieces
/// cut anywhere: `history show --json` prints a stored record of any size this way, chunk by chunk, the same
/// bytes the encoder made of the decoded record. Strings and numbers are copied as they are.
public struct PrettyJSONStream: Sendable {
  private var depth = 0
  private var inString = false
  private var escaped = false
  /// A container was opened or a comma written: the next value or key starts on a new, indented line.
  private var indentNext = false

  /// A layout at the start of a value.
  public init() {}

  /// Lays out the next piece of the compact text; returns the bytes to print.
  public mutating func layout(_ piece: UnsafeRawBufferPointer) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(piece.count + piece.count / 4)
    for b in piece {
      if inString {
        out.append(b)
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
      case 0x20, 0x0A, 0x0D, 0x09: continue
      case 0x7B, 0x5B:
        indent(&out)
        out.append(b)
        out.append(0x0A)
        depth += 1
        indentNext = true
      case 0x7D, 0x5D:
        depth -= 1
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: 2 * max(depth, 0)))
        out.append(b)
        indentNext = false
      case 0x2C:
        out.append(0x2C)
        out.append(0x0A)
        indentNext = true
      case 0x3A: out.append(contentsOf: [0x20, 0x3A, 0x20])
      default:
        indent(&out)
        out.append(b)
        if b == 0x22 { inString = true }
      }
    }
    return out
  }

  /// Lays out the next piece (``layout(_:)-(UnsafeRawBufferPointer)``).
  public mutating func layout(_ piece: Data) -> [UInt8] { piece.withUnsafeBytes { layout($0) } }

  private mutating func indent(_ out: inout [UInt8]) {
    guard indentNext else { return }
    out.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    indentNext = false
  }
}
