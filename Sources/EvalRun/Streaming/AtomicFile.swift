import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes files so that a reader sees the old content or the new, never a half-written file: the bytes
/// go to a temporary file in the same folder, are flushed to disk, and the file is renamed into place.
/// A run's reports, which the next run writes again, skip the flush to disk (`durable: false`): the
/// rename alone keeps them whole for readers, and each flush held a worker thread for about 0.7 ms.
public enum AtomicFile {
  /// Why a file could not be written.
  public struct Failure: Error, CustomStringConvertible {
    /// What went wrong, with the path.
    public var description: String

    /// A failure saying `description`.
    public init(description: String) { self.description = description }
  }

  /// Writes `bytes` to `path`.
  public static func write(_ bytes: [UInt8], to path: String, durable: Bool = true) throws {
    try write(to: path, durable: durable) { fd in try bytes.withUnsafeBytes { try writeAll(fd, $0) } }
  }

  /// Writes `text` as UTF-8 to `path`, without copying it.
  public static func write(_ text: String, to path: String, durable: Bool = true) throws {
    var text = text
    try text.withUTF8 { bytes in
      try write(to: path, durable: durable) { fd in try writeAll(fd, UnsafeRawBufferPointer(bytes)) }
    }
  }

  /// Writes whatever `body` writes to the descriptor it gets, then renames into place.
  public static func write(to path: String, durable: Bool = true, _ body: (Int32) throws -> Void) throws {
    let directory = (path as NSString).deletingLastPathComponent
    let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw Failure(description: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
    do {
      try body(fd)
      guard !durable || fsync(fd) == 0 else {
        throw Failure(description: "cannot flush \(temporary): \(String(cString: strerror(errno)))")
      }
    } catch {
      close(fd)
      unlink(temporary)
      throw error
    }
    close(fd)
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw Failure(description: "cannot rename \(temporary) to \(path): \(reason)")
    }
  }

  /// Writes every byte, retrying short writes and interrupts.
  public static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws {
    var offset = 0
    while offset < buffer.count {
      guard let base = buffer.baseAddress else { return }
      let n = Foundation.write(fd, base + offset, buffer.count - offset)
      if n < 0 {
        if errno == EINTR { continue }
        throw Failure(description: "write failed: \(String(cString: strerror(errno)))")
      }
      offset += n
    }
  }
}
