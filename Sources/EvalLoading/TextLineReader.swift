import EvalCore
import Foundation

/// The lines of a UTF-8 text, read one at a time from bytes in memory or from a file a block at a time (so a
/// file of a million lines is never held whole), each with its line number. Lines end at line feeds; a
/// carriage return before one is kept (JSON reads it as whitespace); a last line without a line feed is a line
/// too, and an empty text has none. A byte order mark at the start of the text is dropped.
///
/// Each line is checked as ``FileSource/text(_:requestedAt:)`` checks a whole file: no longer than
/// ``FileSource/maxLineBytes`` and valid UTF-8, the error located at the line (and the first bad byte).
struct TextLineReader {
  /// One line, without its line feed, and its number (the first line is 1).
  struct Line {
    var text: String
    var number: Int
  }

  private let path: String
  /// The file read from, a block at a time; `nil` once it is read to its end (or for bytes in memory).
  private var handle: FileHandle?
  /// Bytes read and not yet made into lines, from `position` on.
  private var buffer: [UInt8]
  private var position = 0
  /// The number of the next line.
  private var number = 1
  /// Where, in `buffer`, the search for the next line feed goes on (the bytes before it have none).
  private var searched = 0
  /// Bytes asked of the file at a time.
  private let blockSize: Int
  /// The longest line allowed, in bytes.
  var maxLineBytes = FileSource.maxLineBytes

  /// A reader of `bytes`, which `path` names in errors.
  init(bytes: [UInt8], path: String) {
    self.path = path
    buffer = bytes
    blockSize = 0
  }

  /// A reader of the file at `path`, `blockSize` bytes read at a time.
  /// - Throws: ``Diagnostic`` at `location` when the file cannot be opened.
  init(file path: String, blockSize: Int = 1 << 16, requestedAt location: SourceLocation? = nil) throws {
    let handle = try FileSource.handle(path, requestedAt: location)
    self.path = path
    self.handle = handle
    self.blockSize = max(1, blockSize)
    buffer = []
  }

  /// The next line, or `nil` at the end.
  /// - Throws: ``Diagnostic`` for a line longer than ``maxLineBytes``, a line that is not UTF-8, or a file that
  ///   cannot be read.
  mutating func next() throws -> Line? {
    while true {
      let end = buffer.withUnsafeBufferPointer { bytes -> Int? in
        guard searched < bytes.count, let base = bytes.baseAddress,
          let hit = memchr(base + searched, 0x0A, bytes.count - searched)
        else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      }
      if let end {
        return try line(upTo: end, next: end + 1)
      }
      searched = buffer.count
      if buffer.count - position > maxLineBytes { throw tooLong() }
      guard let handle else {
        guard position < buffer.count else { return nil }
        return try line(upTo: buffer.count, next: buffer.count)
      }
      // More bytes: the line under way did not end in what was read.
      buffer.removeSubrange(0..<position)
      (searched, position) = (searched - position, 0)
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

  /// The line of `buffer[position..<end]`; the next one starts at `next`.
  private mutating func line(upTo end: Int, next: Int) throws -> Line {
    defer { (position, searched, number) = (next, next, number + 1) }
    if end - position > maxLineBytes { throw tooLong() }
    return try buffer.withUnsafeBufferPointer { all -> Line in
      let raw = UnsafeBufferPointer(rebasing: all[position..<end])
      var bytes = raw
      if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: raw[3...]) }
      guard let text = String(validating: bytes, as: UTF8.self) else {
        // The column counts bytes from the start of the line, as a whole file's check does.
        let offset = FileSource.firstInvalidUTF8(raw)
        throw FileSource.notUTF8(
          byte: offset < raw.count ? raw[offset] : nil,
          at: SourceLocation(file: path, line: number, column: offset + 1))
      }
      return Line(text: text, number: number)
    }
  }

  private func tooLong() -> Diagnostic {
    Diagnostic(
      "a line longer than \(maxLineBytes >> 20) MiB", at: SourceLocation(file: path, line: number, column: 1))
  }
}
