import Foundation

/// Writes files so that a reader sees the old content or the new, never a half-written file.
enum AtomicFile {
  /// Writes `bytes` to `path` through a temporary file and a rename.
  static func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
  }
}
