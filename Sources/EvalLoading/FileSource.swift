import EvalCore
import Foundation

/// Reads files relative to a base folder; every read error becomes a located diagnostic.
struct FileSource {
  /// Reads a UTF-8 text file (invalid bytes become U+FFFD).
  static func text(_ path: String, requestedAt location: SourceLocation? = nil) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      var isDir: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
      let why = !exists ? "no such file" : isDir.boolValue ? "is a folder" : "cannot be read"
      throw Diagnostic("cannot read '\(path)': \(why)", at: location)
    }
    return String(decoding: data, as: UTF8.self)
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
