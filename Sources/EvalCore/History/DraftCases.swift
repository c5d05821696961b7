import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A ``RunRecordDraft``'s case bytes (each case's JSON, comma-separated): the newest up to ``memoryLimit``
/// bytes in memory, the rest in an unlinked temporary file, read back in pieces. At 1,000,000 cases a record's
/// cases are about 95 MB: held in memory they were the history's whole cost of such a run. The file is storage,
/// not output: made in the temporary directory and unlinked at once (it goes with the process). Where no file
/// can be made or written, the bytes stay in memory. A value type: a copy shares the file until one of them
/// adds a case.
public struct DraftCases: Sendable {
  /// Bytes held in memory before they go to the file.
  static let memoryLimit = 1 << 20

  /// The bytes not yet in the file, where cases are written.
  private(set) var writer = JSONWriter()
  /// Where the earlier bytes went, when any did.
  private var file: SpillFile?
  /// A file could not be made or written: every later byte stays in memory.
  private var inMemory = false

  /// An empty list.
  public init() {}

  /// How many bytes there are.
  public var count: Int { (file?.length ?? 0) + writer.bytes.count }

  /// Whether the earlier bytes are in a file (for tests).
  var spilled: Bool { (file?.length ?? 0) > 0 }

  /// Writes the next bytes with `write`; moves the bytes in memory to the file once they reach
  /// ``memoryLimit``.
  public mutating func write(_ write: (inout JSONWriter) -> Void) {
    write(&writer)
    if writer.bytes.count >= Self.memoryLimit, !inMemory { spill() }
  }

  private mutating func spill() {
    if file == nil {
      file = SpillFile()
    } else if !isKnownUniquelyReferenced(&file) {
      // Shared with a copy of the draft: written to only once copied (when it cannot be, it stays as it is and
      // the rest stays in memory).
      guard let copy = file?.copy() else {
        inMemory = true
        return
      }
      file = copy
    }
    guard let file, file.append(writer.bytes) else {
      inMemory = true
      return
    }
    writer.bytes.removeAll(keepingCapacity: true)
  }

  /// Calls `body` with every byte, in order, in pieces of at most `maxBytes` (the file's read into one reused
  /// buffer).
  /// - Throws: when the file cannot be read, or what `body` throws.
  public func forEachPiece(maxBytes: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    precondition(maxBytes > 0)
    if let file { try file.read(maxBytes: maxBytes, body) }
    try writer.bytes.withUnsafeBytes { raw in
      var at = 0
      while at < raw.count {
        let end = min(raw.count, at + maxBytes)
        try body(UnsafeRawBufferPointer(rebasing: raw[at..<end]))
        at = end
      }
    }
  }
}

extension DraftCases {
  /// The bytes from `offset` on, at most `maxBytes` of them (fewer where the file's bytes end): for a caller
  /// that cannot take them in a closure (an asynchronous write).
  /// - Throws: when the file cannot be read.
  public func piece(at offset: Int, maxBytes: Int) throws -> Data {
    precondition(maxBytes > 0 && offset >= 0 && offset <= count)
    let inFile = file?.length ?? 0
    if offset < inFile, let file { return try file.piece(at: offset, count: min(maxBytes, inFile - offset)) }
    let from = offset - inFile
    return Data(writer.bytes[from..<min(writer.bytes.count, from + maxBytes)])
  }
}

/// An unlinked temporary file bytes are appended to and read back from. Changed only through a uniquely
/// referenced ``DraftCases`` (a shared one is copied first), so its state is never written from two threads.
final class SpillFile: @unchecked Sendable {
  private let fd: Int32
  /// How many bytes were written.
  private(set) var length = 0

  /// A new empty file in the temporary directory, or `nil` when none can be made.
  init?() {
    var template = Array((NSTemporaryDirectory() + "/evalgate-record-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
    guard fd >= 0 else { return nil }
    template.withUnsafeBufferPointer { _ = $0.baseAddress.map { unlink($0) } }
    self.fd = fd
  }

  deinit { close(fd) }

  /// Appends `bytes`; `false` (the file as it was) when they cannot all be written.
  func append(_ bytes: [UInt8]) -> Bool {
    let written = bytes.withUnsafeBytes { raw -> Bool in
      var at = 0
      while at < raw.count {
        let n = pwrite(fd, raw.baseAddress.map { $0 + at }, raw.count - at, off_t(length + at))
        if n < 0, errno == EINTR { continue }
        guard n > 0 else { return false }
        at += n
      }
      return true
    }
    if written {
      length += bytes.count
    } else {
      _ = ftruncate(fd, off_t(length))
    }
    return written
  }

  /// Calls `body` with the file's bytes in order, in pieces of at most `maxBytes`.
  func read(maxBytes: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    guard length > 0 else { return }
    var buffer = [UInt8](repeating: 0, count: min(maxBytes, length))
    var at = 0
    while at < length {
      let want = min(buffer.count, length - at)
      let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(at)) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { throw Self.unreadable() }
      try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
      at += n
    }
  }

  /// `count` bytes from `offset`.
  func piece(at offset: Int, count: Int) throws -> Data {
    var out = Data(count: count)
    var at = 0
    while at < count {
      let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress.map { $0 + at }, count - at, off_t(offset + at)) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { throw Self.unreadable() }
      at += n
    }
    return out
  }

  static func unreadable() -> CocoaError {
    CocoaError(
      .fileReadUnknown,
      userInfo: [
        NSLocalizedDescriptionKey: "the record's cases cannot be read back: \(String(cString: strerror(errno)))"
      ])
  }

  /// A new file with the same bytes, or `nil` when none can be made or written.
  func copy() -> SpillFile? {
    guard let copy = SpillFile() else { return nil }
    do {
      try read(maxBytes: DraftCases.memoryLimit) { piece in
        guard copy.append(Array(piece)) else { throw CocoaError(.fileWriteUnknown) }
      }
    } catch {
      return nil
    }
    return copy
  }
}
