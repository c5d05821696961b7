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
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Diagnostic("cannot read '\(path)': cannot be read", at: location)
    }
    return try decode(data, path: path)
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
      var parser = Unicode.UTF8.ForwardParser()
      var iterator = bytes.makeIterator()
      var offset = 0
      while case .valid(let scalar) = parser.parseScalar(from: &iterator) { offset += scalar.count }
      let before = bytes[..<min(offset, bytes.count)]
      let badLine = before.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
      let column = offset - ((before.lastIndex(of: 0x0A)).map { $0 + 1 } ?? 0) + 1
      let shown = bytes[offset..<min(offset + 4, bytes.count)].map { String(format: "0x%02X", $0) }
      throw Diagnostic(
        "the file is not valid UTF-8: byte \(shown.first ?? "?") does not start or continue a character; save the file "
          + "as UTF-8",
        at: SourceLocation(file: path, line: badLine, column: column))
    }
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
