import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A scratch file for what a run renders per case while it goes (results.json lines, JUnit test cases,
/// report.html rows): appended as cases finish, read back by position when the reports are assembled, so
/// the rendered pieces of a hundred thousand cases live on disk rather than in memory. The file is
/// unlinked as soon as it is made: it vanishes when closed, or when the process ends however it ends.
public final class SpillFile: Sendable {
  /// Where a piece is: its offset and length.
  public struct Span: Sendable {
    /// Where the piece starts.
    public var offset: Int64
    /// Its length in bytes.
    public var length: Int32

    /// A span of `length` bytes at `offset`.
    public init(offset: Int64, length: Int32) {
      self.offset = offset
      self.length = length
    }
  }

  private let fd: Int32

  /// Creates the file in `directory` (the output dir: the same disk as the reports).
  public init(in directory: String) throws {
    var template = Array(((directory.isEmpty ? "." : directory) + "/.evalgate-spill-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
    guard fd >= 0 else {
      throw AtomicFile.Failure(
        description: "cannot create a scratch file in \(directory): \(String(cString: strerror(errno)))")
    }
    template.withUnsafeBufferPointer { if let path = $0.baseAddress { _ = unlink(path) } }
    self.fd = fd
  }

  deinit { close(fd) }

  /// Appends `bytes` at `offset` (the caller keeps the end: one writer).
  public func write(_ bytes: [UInt8], at offset: Int64) throws -> Span {
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { buffer in
        buffer.baseAddress.map { pwrite(fd, $0 + done, buffer.count - done, off_t(offset) + off_t(done)) } ?? 0
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw AtomicFile.Failure(description: "cannot write a scratch file: \(String(cString: strerror(errno)))")
      }
      done += n
    }
    return Span(offset: offset, length: Int32(bytes.count))
  }

  /// The bytes at `span`; `nil` when they cannot be read (the report renders that case itself).
  public func read(_ span: Span) -> [UInt8]? {
    let length = Int(span.length)
    var out = [UInt8](repeating: 0, count: length)
    var done = 0
    while done < length {
      let n = out.withUnsafeMutableBytes { buffer in
        buffer.baseAddress.map { pread(fd, $0 + done, length - done, off_t(span.offset) + off_t(done)) } ?? 0
      }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { return nil }
      done += n
    }
    return out
  }
}
