import EvalCore
import Foundation

/// RFC 4180 records read one at a time, from bytes in memory or from a file a block at a time (so a file of a
/// million rows is never held whole), each with the line it starts on; values byte for byte: fields separated
/// by `,`, records by CRLF, LF or CR; a field in double quotes may hold commas, line breaks (kept as written)
/// and `""` for a quote. A leading byte order mark is skipped. A quote inside an unquoted field is kept as a
/// character (as promptfoo's reader does by default). With `trim` (csv-parse's option of that name, which
/// promptfoo's prompt files are read with), spaces and tabs around each field are dropped: before and after
/// an unquoted value, and around a quoted one (whose inside is kept as written).
struct CSVRecordReader {
  /// One record and the line it starts on.
  struct Record {
    var fields: [String]
    var line: Int
  }

  private let path: String
  private let trim: Bool
  /// The file read from, a block at a time; `nil` once it is read to its end (or for bytes in memory).
  private var handle: FileHandle?
  /// Bytes read and not yet made into records, from `position` on.
  private var buffer: [UInt8]
  private var position = 0
  /// The line the next record starts on.
  private var line = 1
  private var startedAfterMark = false
  /// Bytes asked of the file at a time.
  private let blockSize: Int

  /// A reader of `bytes`, which `path` names in errors.
  init(bytes: [UInt8], path: String, trim: Bool = false) {
    self.path = path
    self.trim = trim
    buffer = bytes
    blockSize = 0
  }

  /// A reader of the file at `path`, `blockSize` bytes read at a time.
  /// - Throws: ``Diagnostic`` at `location` when the file cannot be opened.
  init(
    file path: String, trim: Bool = false, blockSize: Int = 1 << 16, requestedAt location: SourceLocation? = nil
  ) throws {
    let handle = try FileSource.handle(path, requestedAt: location)
    self.path = path
    self.trim = trim
    self.handle = handle
    self.blockSize = max(1, blockSize)
    buffer = []
  }

  /// The next record, or `nil` at the end.
  /// - Throws: ``Diagnostic`` for an unterminated quoted field, text after a closing quote, or a file that
  ///   cannot be read.
  mutating func next() throws -> Record? {
    while true {
      if !startedAfterMark, handle == nil || buffer.count >= 3 {
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        startedAfterMark = true
      }
      if startedAfterMark, let (record, next, nextLine) = try record(at: position) {
        (position, line) = (next, nextLine)
        return record
      }
      guard let handle else { return nil }
      // More bytes: the record under way did not end in what was read.
      buffer.removeSubrange(0..<position)
      position = 0
      let block: Data?
      do { block = try handle.read(upToCount: blockSize) } catch {
        throw Diagnostic("cannot read '\(path)': \(error.localizedDescription)")
      }
      if let block, !block.isEmpty {
        buffer.append(contentsOf: block)
      } else {
        try? handle.close()
        self.handle = nil
      }
    }
  }

  /// The record that starts at `start`, where the next one starts and the line it starts on; `nil` when the
  /// bytes end before the record does and more may come (or, at the end of the input, when none is left).
  private func record(at start: Int) throws -> (Record, next: Int, line: Int)? {
    let atEnd = handle == nil
    return try buffer.withUnsafeBufferPointer { bytes -> (Record, next: Int, line: Int)? in
      var fields: [String] = []
      var field: [UInt8] = []
      var line = self.line
      var lineStart = start
      func location(_ offset: Int, line: Int, lineStart: Int) -> SourceLocation {
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return SourceLocation(file: path, line: line, column: column)
      }
      let isBlank = { (b: UInt8) in b == 0x20 || b == 0x09 }
      let trim = self.trim
      var quoted = false
      func endField() {
        if trim, !quoted { while let last = field.last, isBlank(last) { field.removeLast() } }
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        quoted = false
      }
      var i = start
      var atFieldStart = true
      while i < bytes.count {
        let b = bytes[i]
        if trim, atFieldStart, isBlank(b) {
          i += 1
          continue
        }
        if atFieldStart, b == UInt8(ascii: "\"") {
          let open = (offset: i, line: line, lineStart: lineStart)
          i += 1
          var closed = false
          while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
              if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                field.append(c)
                i += 2
                continue
              }
              i += 1
              closed = true
              break
            }
            if c == 0x0A || (c == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
              line += 1
              lineStart = i + 1
            }
            field.append(c)
            i += 1
          }
          guard closed else {
            guard atEnd else { return nil }
            throw Diagnostic(
              "unterminated quoted field", at: location(open.offset, line: open.line, lineStart: open.lineStart))
          }
          quoted = true
          if trim { while i < bytes.count, isBlank(bytes[i]) { i += 1 } }
          if i < bytes.count, bytes[i] != UInt8(ascii: ","), bytes[i] != 0x0A, bytes[i] != 0x0D {
            throw Diagnostic(
              "unexpected text after a closing quote (write a quote inside a field as \"\")",
              at: location(i, line: line, lineStart: lineStart))
          }
          atFieldStart = false
          continue
        }
        atFieldStart = false
        switch b {
        case UInt8(ascii: ","):
          endField()
          atFieldStart = true
          i += 1
        case 0x0A, 0x0D:
          // A carriage return last in what was read may be the first half of a CRLF.
          if b == 0x0D, i + 1 == bytes.count, !atEnd { return nil }
          endField()
          i += b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1
          return (Record(fields: fields, line: self.line), i, line + 1)
        default:
          field.append(b)
          i += 1
        }
      }
      guard atEnd else { return nil }
      if !field.isEmpty || !fields.isEmpty || !atFieldStart { endField() }
      if fields.isEmpty { return nil }
      return (Record(fields: fields, line: self.line), i, line)
    }
  }
}
