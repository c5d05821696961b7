#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Substring search over bytes with the C library's `memchr` (to the next candidate first byte) and `memcmp`
/// (the rest): at most needle-length work per candidate. The generic `Collection.firstRange(of:)` took 4 s
/// for 35 phrases over a 1 MB output in a release build (`scripts/bench-assertions`); this takes
/// milliseconds. (`memmem` would do, but Swift's Glibc module does not export the GNU extension.)
enum ByteSearch {
  /// Whether `needle` occurs in `haystack` (an empty needle always does).
  static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard let first = needle.first else { return true }
    guard haystack.count >= needle.count else { return false }
    return haystack.withUnsafeBytes { h in
      needle.withUnsafeBytes { n in
        guard let hBase = h.baseAddress, let nBase = n.baseAddress else { return false }
        let last = h.count - n.count  // the last offset a match can start at
        var offset = 0
        while offset <= last {
          guard let hit = memchr(hBase + offset, Int32(first), last - offset + 1) else { return false }
          let at = hBase.distance(to: UnsafeRawPointer(hit))
          if memcmp(hBase + at, nBase, n.count) == 0 { return true }
          offset = at + 1
        }
        return false
      }
    }
  }
}
