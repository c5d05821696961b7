import EvalCore
import Foundation

/// Reads files relative to a base folder; every read error becomes a located diagnostic.
struct FileSource {
  /// The largest text file read (suites, prompts, test and vars files).
  static let maxFileBytes = 1 << 30
  /// The longest line in one.
  static let maxLineBytes = 16 << 20

  /// Reads a UTF-8 text file.
  /// - Throws: ``Diagnostic`` when it is not a regular file (a folder, a device, a pipe), is larger than
  ///   ``maxFileBytes``, has a line longer than ``maxLineBytes``, or is not valid UTF-8 (located at the
  ///   first bad byte: nothing is replaced silently).
  static func text(_ path: String, requestedAt location: SourceLocation? = nil) throws -> String {
    try checkReadable(path, requestedAt: location)
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Diagnostic("cannot read '\(path)': cannot be read", at: location)
    }
    return try decode(data, path: path)
  }

  /// The file at `path` opened for reading a block at a time (the streamed CSV and JSONL readers).
  /// - Throws: ``Diagnostic`` at `location` when it cannot be opened.
  static func handle(_ path: String, requestedAt location: SourceLocation? = nil) throws -> FileHandle {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw Diagnostic("cannot read '\(path)': cannot be read", at: location)
    }
    return handle
  }

  /// What a streamed test file that read well when it was checked says when a later pass finds `error` in it.
  static func changedAfterCheck(_ path: String, _ error: any Error) -> Diagnostic {
    let d = error as? Diagnostic ?? Diagnostic("cannot read '\(path)': \(error)")
    return Diagnostic(
      "'\(path)' changed after it was checked: \(d.message)", at: d.location ?? SourceLocation(file: path))
  }

  /// Checks what ``text(_:requestedAt:)`` checks before it reads: a regular file of at most ``maxFileBytes``.
  /// - Throws: ``Diagnostic`` at `location` for a missing file, a folder, a device or pipe, or a file too large.
  static func checkReadable(_ path: String, requestedAt location: SourceLocation? = nil) throws {
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw Diagnostic("cannot read '\(path)': no such file", at: location)
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: throw Diagnostic("cannot read '\(path)': is a folder", at: location)
    default: throw Diagnostic("cannot read '\(path)': not a regular file (a device or a pipe)", at: location)
    }
    guard Int(info.st_size) <= maxFileBytes else {
      throw Diagnostic("cannot read '\(path)': larger than \(maxFileBytes >> 20) MiB", at: location)
    }
  }

  /// `data` as UTF-8 text, or a located error at the first invalid byte or the first over-long line.
  static func decode(_ data: Data, path: String) throws -> String {
    try data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var lineStart = 0
      var line = 1
      for (i, byte) in bytes.enumerated() where byte == 0x0A {
        if i - lineStart > maxLineBytes {
          throw Diagnostic(
            "a line longer than \(maxLineBytes >> 20) MiB", at: SourceLocation(file: path, line: line, column: 1))
        }
        line += 1
        lineStart = i + 1
      }
      if bytes.count - lineStart > maxLineBytes {
        throw Diagnostic(
          "a line longer than \(maxLineBytes >> 20) MiB", at: SourceLocation(file: path, line: line, column: 1))
      }
      if let text = String(validating: bytes, as: UTF8.self) { return text }
      // Find the first byte that is not UTF-8, to say where it is.
      let offset = firstInvalidUTF8(bytes)
      let before = bytes[..<offset]
      let badLine = before.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
      let column = offset - ((before.lastIndex(of: 0x0A)).map { $0 + 1 } ?? 0) + 1
      throw notUTF8(
        byte: offset < bytes.count ? bytes[offset] : nil, at: SourceLocation(file: path, line: badLine, column: column))
    }
  }

  /// The byte offset of the first byte of `bytes` that does not start or continue a UTF-8 character.
  static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = 0
    while case .valid(let scalar) = parser.parseScalar(from: &iterator) { offset += scalar.count }
    return min(offset, bytes.count)
  }

  /// The error for a file that is not UTF-8, at its first bad byte.
  static func notUTF8(byte: UInt8?, at location: SourceLocation) -> Diagnostic {
    Diagnostic(
      "the file is not valid UTF-8: byte \(byte.map { String(format: "0x%02X", $0) } ?? "?") does not start or "
        + "continue a character; save the file as UTF-8",
      at: location)
  }

  /// Resolves `file://x` (or a plain path) against the folder of `relativeTo`.
  static func resolve(_ reference: String, relativeTo file: String) -> String {
    let path = reference.hasPrefix("file://") ? String(reference.dropFirst("file://".count)) : reference
    if path.hasPrefix("/") { return path }
    let base = (file as NSString).deletingLastPathComponent
    let joined = base.isEmpty ? path : base + "/" + path
    return (joined as NSString).standardizingPath
  }

  /// True for `file://…` references.
  static func isReference(_ s: String) -> Bool { s.hasPrefix("file://") }
}
