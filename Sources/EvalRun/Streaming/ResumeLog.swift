import EvalCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The cases an earlier, interrupted run already finished, read from its `results.jsonl` a line at a time,
/// so `evalgate run --resume` calls only what is left and a million finished cases are never held at
/// once: the first pass keeps where each usable line is and its case's id; the lines are read again, in
/// file order, when they are copied into the new results.jsonl and carried into the reports. A line cut off
/// by a crash, or one that does not decode, is ignored (that case runs again); skipped cases run again, as
/// do cases the plan no longer has. The file stays open, so it can be read after results.jsonl is replaced.
public final class ResumeLog: Sendable {
  /// The file resumed from.
  public let path: String
  private let fd: Int32
  /// Where each usable line is, in file order.
  public let lines: [SpillFile.Span]
  /// The case ids of those lines.
  public let finished: CaseIDSet
  /// Lines that could not be used.
  public let ignored: Int

  /// Reads `path`, keeping the first finished line of each case `wanted` says the run has.
  /// - Throws: ``Diagnostic`` when the file cannot be read.
  public init(path: String, wanted: (CaseID) -> Bool) throws {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw Diagnostic("cannot read '\(path)' to resume from") }
    var lines: [SpillFile.Span] = []
    var finished = CaseIDSet()
    var ignored = 0
    var block: [(offset: Int64, line: [UInt8])] = []
    // Decoded whole, as it is when carried: a line kept here always comes back as a result.
    func take() {
      for ((offset, line), result) in zip(block, ResumeLog.decode(block.map(\.line))) {
        guard let result, result.outcome != .skipped, wanted(result.id), finished.insert(result.id) else {
          ignored += 1
          continue
        }
        lines.append(SpillFile.Span(offset: offset, length: Int32(line.count)))
      }
      block.removeAll(keepingCapacity: true)
    }
    let complete = ResumeLog.forEachLine(fd) { offset, line in
      block.append((offset, Array(line)))
      if block.count == ResumeLog.block { take() }
    }
    take()
    if !complete { ignored += 1 }  // the last line, cut off mid-write
    self.path = path
    self.fd = fd
    self.lines = lines
    self.finished = finished
    self.ignored = ignored
  }

  deinit { close(fd) }

  /// How many lines are decoded together (``decode(_:)``): about 1 KB a line and a few KB a decoded case.
  static let block = 1_024

  /// `lines` decoded (`nil` for one that does not decode), on as many threads as there are cores (up to 4): a line's
  /// `JSONDecoder` pass is most of a resume's time, done twice (to check the line, then to carry it), and a
  /// resume alone on one core took as long as the run it finished (docs/benchmarks.md, session 16).
  static func decode(_ lines: [[UInt8]]) -> [CaseResult?] {
    // At most 4: two decoders already share evalgate's two malloc arenas (`M_ARENA_MAX`).
    let width = min(lines.count, max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)))
    var out = [CaseResult?](repeating: nil, count: lines.count)
    out.withUnsafeMutableBufferPointer { buffer in
      // Each thread writes its own stride of the buffer, and the buffer outlives them all.
      nonisolated(unsafe) let buffer = buffer
      DispatchQueue.concurrentPerform(iterations: width) { part in
        let decoder = JSONDecoder()
        for i in stride(from: part, to: lines.count, by: width) {
          buffer[i] = try? decoder.decode(CaseResult.self, from: Data(lines[i]))
        }
      }
    }
    return out
  }

  /// The usable lines, newline included, in file order, read again as they are asked for.
  public var usableLines: UsableLines { UsableLines(log: self) }

  /// The usable lines of a ``ResumeLog``.
  public struct UsableLines: Sequence {
    let log: ResumeLog

    public func makeIterator() -> AnyIterator<[UInt8]> {
      var reader = ChunkReader(fd: log.fd)
      var next = log.lines.makeIterator()
      return AnyIterator {
        guard let span = next.next() else { return nil }
        return reader.bytes(at: span.offset, count: Int(span.length))
      }
    }
  }

  /// Calls `body` with each line ending in a newline (newline included) and its offset; false when the file
  /// ends with a line without one.
  private static func forEachLine(_ fd: Int32, _ body: (Int64, ArraySlice<UInt8>) -> Void) -> Bool {
    var reader = ChunkReader(fd: fd)
    var offset: Int64 = 0
    while let line = reader.line(at: offset) {
      body(offset, line)
      offset += Int64(line.count)
    }
    return reader.atEnd(offset)
  }

  /// Reads a file forward in 1 MB chunks by `pread`, handing out lines and byte ranges.
  private struct ChunkReader {
    let fd: Int32
    private var chunk: [UInt8] = []
    private var start: Int64 = 0
    private var ended = false

    init(fd: Int32) { self.fd = fd }

    /// The line (newline included) starting at `offset`; `nil` at the end or before a line without one.
    mutating func line(at offset: Int64) -> ArraySlice<UInt8>? {
      while true {
        let from = Int(offset - start)
        if from >= 0, from <= chunk.count, let nl = chunk[from...].firstIndex(of: 0x0A) {
          return chunk[from...nl]
        }
        guard fill(from: offset) else { return nil }
      }
    }

    /// `count` bytes at `offset` (lines are read in file order).
    mutating func bytes(at offset: Int64, count: Int) -> [UInt8]? {
      while Int(offset - start) < 0 || Int(offset - start) + count > chunk.count {
        guard fill(from: offset) else { return nil }
      }
      let from = Int(offset - start)
      return Array(chunk[from..<from + count])
    }

    /// Whether `offset` is the end of the file.
    mutating func atEnd(_ offset: Int64) -> Bool {
      var byte: UInt8 = 0
      return pread(fd, &byte, 1, off_t(offset)) == 0
    }

    /// Keeps what is left of the chunk from `offset` and reads on; false when nothing more came.
    private mutating func fill(from offset: Int64) -> Bool {
      let keep = max(0, Int(offset - start))
      if keep <= chunk.count, offset >= start {
        chunk.removeFirst(keep)
      } else {
        chunk.removeAll()
      }
      start = offset
      let have = chunk.count
      let want = max(1 << 20, have)
      chunk.append(contentsOf: repeatElement(0, count: want))
      var n: Int
      repeat {
        n = chunk.withUnsafeMutableBytes { buffer in
          buffer.baseAddress.map { pread(fd, $0 + have, want, off_t(start) + off_t(have)) } ?? 0
        }
      } while n < 0 && errno == EINTR
      chunk.removeLast(want - max(0, n))
      return n > 0
    }
  }
}
