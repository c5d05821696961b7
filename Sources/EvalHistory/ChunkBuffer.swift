import Foundation

/// Where a store puts the chunks of a record's cases as they are read one after another
/// (``HistoryStore/caseChunk(at:after:into:)``), each into the storage of the one before. A chunk is about
/// 1 MB, which glibc hands out as a fresh mapping (evalgate's `M_MMAP_THRESHOLD`): a new buffer a chunk cost a
/// page fault and a cleared page every 4 KB, a third of the drift test's time at 100,000 cases.
///
/// A reference, so a store's read closure can fill it; `@unchecked Sendable` because one reader uses it, one
/// chunk at a time, each read awaited before the bytes are looked at.
public final class ChunkBuffer: @unchecked Sendable {
  /// The last chunk's bytes.
  public var bytes = Data()

  /// An empty buffer.
  public init() {}
}
