import Crypto

extension CaseID {
  /// The canonical text every case of a test starts with (``Expansion/identityPrefix(head:test:)``), hashed
  /// once: each case hashes only its own end (its vars), and gets the id ``CaseID/init(canonicalText:)`` gives
  /// the whole text. Hashing the prefix again for every case, twice a run, was 1.6 % of a large run's
  /// instructions (docs/benchmarks.md, session 14).
  public struct Prefix: Sendable {
    /// The hash state after the prefix (copied on write: each case's update leaves it as it is).
    private let hasher: SHA256

    /// The state after hashing `text`.
    public init(_ text: String) {
      var hasher = SHA256()
      CaseID.feed(&hasher, text)
      self.hasher = hasher
    }

    /// The id of the prefix followed by `rest`.
    public func id(rest: String) -> CaseID {
      var hasher = self.hasher
      CaseID.feed(&hasher, rest)
      return CaseID(digest: hasher.finalize())
    }
  }

  /// Hashes `text`'s UTF-8 in place when it is stored contiguously.
  static func feed(_ hasher: inout SHA256, _ text: String) {
    let fed = text.utf8.withContiguousStorageIfAvailable { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    if fed == nil { hasher.update(data: Array(text.utf8)) }
  }

  /// The id a digest's first 8 bytes spell, as 16 lowercase hex digits.
  init(digest: SHA256.Digest) {
    let number = digest.withUnsafeBytes { bytes in (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[$1]) } }
    self.init(number: number)
  }
}
