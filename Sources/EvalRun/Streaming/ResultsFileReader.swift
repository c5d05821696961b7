import EvalCore
import EvalReports
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A run's results.json read forward a megabyte at a time: each case of its top-level `cases` array as
/// the bytes of its JSON object, then the report without them (``header()``), so `evalgate merge` holds no
/// shard whole. JSON is scanned for its structure only (strings and their escapes, nesting), never parsed
/// into values here: each case is decoded by the caller, the small rest once.
///
/// Written by hand: Foundation's `JSONDecoder` reads a document whole, and no listed package streams JSON.
public final class ResultsFileReader {
  /// The file read.
  public let path: String
  private let fd: Int32
  private var chunk: [UInt8] = []
  private var position = 0
  private var ended = false
  // Where the scan is.
  private var depth = 0
  private var inString = false
  private var escaped = false
  private var phase = Phase.beforeCases
  /// The text of the last string read in the top-level object (its keys), and the key a `:` just followed.
  private var lastString: [UInt8] = []
  private var key: [UInt8] = []
  /// Everything outside the cases array.
  private var head: [UInt8] = []

  private enum Phase { case beforeCases, inCases, afterCases }

  /// Opens `path` (kept open until the reader goes: the file may be replaced while it is read).
  /// - Throws: ``Diagnostic`` when it cannot be opened.
  public init(path: String) throws {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw Diagnostic("cannot read '\(path)'") }
    self.path = path
    self.fd = fd
  }

  deinit { close(fd) }

  /// The next case's JSON object, `nil` after the last.
  /// - Throws: ``Diagnostic`` when the file is not a results.json.
  public func nextCase() throws -> [UInt8]? {
    var current: [UInt8] = []
    while let byte = try nextByte() {
      switch phase {
      case .beforeCases, .afterCases:
        head.append(byte)
        scanOutside(byte)
      case .inCases:
        if depth == 2 && !inString {
          switch byte {
          case UInt8(ascii: "{"):
            current = [byte]
            depth = 3
          case UInt8(ascii: "]"):
            head.append(byte)
            depth = 1
            phase = .afterCases
          case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
            break
          default:
            throw problem("a case that is not a JSON object")
          }
          continue
        }
        current.append(byte)
        if inString {
          if escaped {
            escaped = false
          } else if byte == UInt8(ascii: "\\") {
            escaped = true
          } else if byte == UInt8(ascii: "\"") {
            inString = false
          }
          continue
        }
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          depth -= 1
          if depth == 2 { return current }
        default: break
        }
      }
    }
    guard phase != .inCases else { throw problem("the cases end before the file does") }
    return nil
  }

  /// The report without its cases (`"cases":[]`), once every case was read.
  /// - Throws: ``Diagnostic`` when the file is not a results.json.
  public func header() throws -> RunReport {
    guard phase == .afterCases, depth == 0 else { throw problem("no top-level cases array") }
    do {
      return try JSONReport.decode(head)
    } catch {
      throw problem("\(error)")
    }
  }

  /// Tracks strings and nesting outside the cases array, and enters it at `"cases": [` in the top level.
  private func scanOutside(_ byte: UInt8) {
    if inString {
      if escaped {
        escaped = false
      } else if byte == UInt8(ascii: "\\") {
        escaped = true
      } else if byte == UInt8(ascii: "\"") {
        inString = false
      } else if depth == 1, lastString.count < 8 {
        lastString.append(byte)
      }
      return
    }
    switch byte {
    case UInt8(ascii: "\""):
      inString = true
      if depth == 1 { lastString = [] }
    case UInt8(ascii: ":") where depth == 1:
      key = lastString
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      if phase == .beforeCases, depth == 1, byte == UInt8(ascii: "["), key == Array("cases".utf8) {
        phase = .inCases
      }
      depth += 1
    case UInt8(ascii: "}"), UInt8(ascii: "]"):
      depth -= 1
    case 0x20, 0x0A, 0x0D, 0x09:
      break
    default:
      if depth == 1 { key = [] }  // a value other than the array: not the cases key any more
    }
  }

  private func nextByte() throws -> UInt8? {
    if position == chunk.count {
      guard !ended else { return nil }
      chunk = [UInt8](repeating: 0, count: 1 << 20)
      var n: Int
      repeat {
        n = chunk.withUnsafeMutableBytes { buffer in buffer.baseAddress.map { read(fd, $0, buffer.count) } ?? 0 }
      } while n < 0 && errno == EINTR
      guard n >= 0 else { throw problem("cannot read: \(String(cString: strerror(errno)))") }
      chunk.removeLast(chunk.count - n)
      position = 0
      if n == 0 {
        ended = true
        return nil
      }
    }
    defer { position += 1 }
    return chunk[position]
  }

  private func problem(_ reason: String) -> Diagnostic {
    Diagnostic("cannot read results (\(reason))", at: SourceLocation(file: path, line: 1, column: 1))
  }
}
