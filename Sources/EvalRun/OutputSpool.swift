import Foundation

/// Output held back until the work that makes it has succeeded, then written to a file descriptor at once
/// (``commit()``): `list` gathers each case's line as the case is made, and says nothing on standard output when
/// a later case fails to render, as when it listed only after a first pass over every case.
///
/// The first ``memoryLimit`` bytes are kept in memory; beyond them the bytes go to an unlinked temporary file
/// (in `TMPDIR`), so a listing of a million cases costs a fixed amount of memory. If that file cannot be made
/// or written, the rest is kept in memory.
public final class OutputSpool {
  /// Bytes kept in memory before they go to the temporary file.
  public let memoryLimit: Int
  /// Where ``commit()`` writes.
  private let destination: Int32
  /// Bytes not yet in the temporary file.
  private var pending: [UInt8] = []
  /// The temporary file (unlinked as soon as it is made), or -1.
  private var file: Int32 = -1
  /// Set when the temporary file could not be made or written: the rest stays in memory.
  private var fileFailed = false
  /// Bytes in the temporary file.
  public private(set) var spilledBytes = 0

  /// A spool for `destination` (standard output by default) that keeps up to `memoryLimit` bytes in memory.
  public init(destination: Int32 = 1, memoryLimit: Int = 1 << 20) {
    self.destination = destination
    self.memoryLimit = max(1, memoryLimit)
    pending.reserveCapacity(min(self.memoryLimit, 1 << 20) + 4096)
  }

  deinit {
    if file >= 0 { close(file) }
  }

  /// Adds `text` (as UTF-8) after what was added before.
  public func append(_ text: String) {
    pending += text.utf8
    if pending.count >= memoryLimit, !fileFailed { spill() }
  }

  /// Writes everything added, in order, to the destination (stopping at an error there: a closed pipe, say)
  /// and empties the spool.
  public func commit() {
    if file >= 0 {
      var block = [UInt8](repeating: 0, count: 1 << 16)
      var offset: off_t = 0
      copying: while true {
        let n = block.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, offset) }
        if n < 0, errno == EINTR { continue }
        guard n > 0 else { break }
        offset += off_t(n)
        guard OutputSpool.write(block[0..<n], to: destination) == n else { break copying }
      }
      close(file)
      file = -1
      spilledBytes = 0
    }
    _ = OutputSpool.write(pending[...], to: destination)
    pending.removeAll(keepingCapacity: true)
  }

  /// Moves the pending bytes to the temporary file (making it first).
  private func spill() {
    if file < 0 {
      var template = Array((NSTemporaryDirectory() + "/evalgate-spool.XXXXXX").utf8CString)
      file = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
      guard file >= 0 else {
        fileFailed = true
        return
      }
      template.withUnsafeBufferPointer { if let path = $0.baseAddress { unlink(path) } }
    }
    let written = OutputSpool.write(pending[...], to: file)
    spilledBytes += written
    if written < pending.count { fileFailed = true }
    pending.removeSubrange(0..<written)
  }

  /// Writes `bytes` to `fd`, as far as it goes; the number of bytes written.
  static func write(_ bytes: ArraySlice<UInt8>, to fd: Int32) -> Int {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count, let base = raw.baseAddress {
        let n = Foundation.write(fd, base + offset, raw.count - offset)
        if n > 0 {
          offset += n
        } else if n < 0, errno == EINTR {
          continue
        } else {
          break
        }
      }
      return offset
    }
  }
}
