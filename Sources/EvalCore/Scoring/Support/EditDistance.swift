// Hand-written: no listed Swift package computes edit distances or longest common subsequences. The
// bit-parallel algorithms are Myers (1999) in Hyyrö's block form (as in edlib) and Allison–Dix / Hyyrö (2004).

/// Edit distances and longest common subsequences of symbol sequences. Texts are compared as Unicode scalars
/// (code points), as Python's `Levenshtein` package and the other reference packages compare `str`s: `é` and
/// `e` + U+0301 differ, and so do the Ångström sign and `Å`.
///
/// Both run in O(n·⌈m/64⌉) time and O(n + m) memory (m the shorter length) after skipping a common prefix and
/// suffix. The bounded forms refuse work beyond ``stepLimit`` word steps, so that no assertion runs away on a
/// huge output.
public enum EditDistance {
  /// The most steps a bounded comparison does: 64-bit word steps (⌈m/64⌉·n) of the bit-parallel algorithms, or
  /// cells of Ukkonen's band. 2^25, at most about 0.2 s in a release build: e.g. a 1 MB text against 2 KB, or
  /// two texts of 46,000 scalars each.
  public static let stepLimit = 1 << 25

  /// The result of a bounded Levenshtein distance.
  public enum Bounded: Sendable, Hashable {
    /// The exact distance.
    case distance(Int)
    /// The distance is at least this, which is more than the limit asked for.
    case exceeds(atLeast: Int)
    /// Not computed: the texts differ over `shorter` and `longer` scalars (after their common prefix and
    /// suffix), too many to compare within ``EditDistance/stepLimit``.
    case tooLong(shorter: Int, longer: Int)
  }

  /// The Levenshtein distance between the Unicode scalars of `a` and `b`: insertions, deletions and
  /// substitutions of one scalar each cost 1. Unbounded: for short texts such as names.
  public static func levenshtein(_ a: String, _ b: String) -> Int {
    let (x, y) = trimmed(scalars(a), scalars(b))
    let (short, long) = x.count <= y.count ? (x, y) : (y, x)
    return short.isEmpty ? long.count : myers(pattern: short, text: long)
  }

  /// The Levenshtein distance between the Unicode scalars of `a` and `b` when it is at most `limit`; beyond
  /// that, a lower bound (the length difference, or `limit + 1`). Exact distances beyond the limit are still
  /// computed while they fit ``stepLimit``; otherwise only the band of diagonals within `limit` is (Ukkonen),
  /// and when that does not fit either, the result is ``Bounded/tooLong(shorter:longer:)``.
  public static func levenshtein(_ a: String, _ b: String, limit: Int) -> Bounded {
    let (x, y) = trimmed(scalars(a), scalars(b))
    let (short, long) = x.count <= y.count ? (x, y) : (y, x)
    let lowerBound = long.count - short.count
    if lowerBound > limit { return .exceeds(atLeast: lowerBound) }
    if short.isEmpty { return .distance(long.count) }
    if steps(short.count, long.count) <= stepLimit { return .distance(myers(pattern: short, text: long)) }
    let width = 2 * limit + 1
    guard width <= stepLimit / long.count else { return .tooLong(shorter: short.count, longer: long.count) }
    return banded(short, long, limit: limit).map { .distance($0) } ?? .exceeds(atLeast: limit + 1)
  }

  /// The length of a longest common subsequence of `a` and `b`, or `nil` when it would take more than
  /// ``stepLimit`` word steps (symbols of the longer that the shorter lacks cost nothing).
  static func longestCommonSubsequence(_ a: [UInt32], _ b: [UInt32]) -> Int? {
    let (x, y) = trimmed(a[...], b[...])
    let common = a.count - x.count
    let (short, long) = x.count <= y.count ? (x, y) : (y, x)
    if short.isEmpty { return common }
    let alphabet = Alphabet(short)
    let pattern = alphabet.ids(short)
    let text = alphabet.ids(long).filter { $0 < alphabet.count }  // the others leave every bit as it is
    guard steps(pattern.count, text.count) <= stepLimit else { return nil }
    // Allison–Dix / Hyyrö: V' = (V + (V & M)) | (V & ~M), one addition across the words of a column; here a
    // block of 64 pattern symbols at a time over the whole text, each column's carry kept for the next block.
    var carries = [UInt64](repeating: 0, count: text.count)
    var masks = [UInt64](repeating: 0, count: alphabet.count)
    var zeros = 0
    for block in stride(from: 0, to: pattern.count, by: 64) {
      let end = min(block + 64, pattern.count)
      for i in block..<end { masks[Int(pattern[i])] |= 1 << UInt64(i - block) }
      var v: UInt64 = ~0
      masks.withUnsafeBufferPointer { masks in
        carries.withUnsafeMutableBufferPointer { carries in
          text.withUnsafeBufferPointer { text in
            for j in 0..<text.count {
              let m = masks[Int(text[j])]
              let (partial, overflow1) = v.addingReportingOverflow(v & m)
              let (sum, overflow2) = partial.addingReportingOverflow(carries[j])
              carries[j] = overflow1 || overflow2 ? 1 : 0
              v = sum | (v & ~m)
            }
          }
        }
      }
      let bits = end - block
      let valid: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
      zeros += bits - (v & valid).nonzeroBitCount  // the LCS length is the number of zero bits
      for i in block..<end { masks[Int(pattern[i])] = 0 }
    }
    return common + zeros
  }

  // MARK: Algorithms

  static func scalars(_ text: String) -> ArraySlice<UInt32> { ArraySlice(text.unicodeScalars.map(\.value)) }

  /// ⌈m/64⌉·n, saturating.
  static func steps(_ m: Int, _ n: Int) -> Int {
    let (product, overflow) = ((m + 63) / 64).multipliedReportingOverflow(by: n)
    return overflow ? Int.max : product
  }

  /// `a` and `b` without their common prefix and suffix.
  static func trimmed(
    _ a: ArraySlice<UInt32>, _ b: ArraySlice<UInt32>
  ) -> (ArraySlice<UInt32>, ArraySlice<UInt32>) {
    var a = a
    var b = b
    while let x = a.first, let y = b.first, x == y {
      a.removeFirst()
      b.removeFirst()
    }
    while let x = a.last, let y = b.last, x == y {
      a.removeLast()
      b.removeLast()
    }
    return (a, b)
  }

  /// Dense ids (0..<count) of a pattern's distinct symbols; other symbols map to `count`.
  struct Alphabet {
    private var table: [UInt32: Int32] = [:]

    init(_ pattern: ArraySlice<UInt32>) {
      for symbol in pattern where table[symbol] == nil { table[symbol] = Int32(table.count) }
    }

    var count: Int { table.count }

    func ids(_ symbols: ArraySlice<UInt32>) -> [Int32] { symbols.map { table[$0] ?? Int32(table.count) } }
  }

  /// Myers' bit-vector Levenshtein distance in Hyyrö's block form (edlib's `calculateBlock`), a block of 64
  /// pattern symbols at a time over the whole text, each column's horizontal difference kept for the next
  /// block: O(⌈m/64⌉·n) time, O(n + m) memory.
  static func myers(pattern: ArraySlice<UInt32>, text: ArraySlice<UInt32>) -> Int {
    let alphabet = Alphabet(pattern)
    let p = alphabet.ids(pattern)
    let t = alphabet.ids(text)
    // The horizontal difference entering the block at each column: +1 on the top row (D[0][j] = j), then the
    // one leaving the block above.
    var differences = [Int8](repeating: 1, count: t.count)
    var masks = [UInt64](repeating: 0, count: alphabet.count + 1)
    for block in stride(from: 0, to: p.count, by: 64) {
      let end = min(block + 64, p.count)
      for i in block..<end { masks[Int(p[i])] |= 1 << UInt64(i - block) }
      let lastRow = UInt64(end - block - 1)
      var pv: UInt64 = ~0  // D[i][0] = i: every vertical difference +1
      var mv: UInt64 = 0
      masks.withUnsafeBufferPointer { masks in
        differences.withUnsafeMutableBufferPointer { differences in
          t.withUnsafeBufferPointer { t in
            for j in 0..<t.count {
              // Branch-free: hin is -1, 0 or +1.
              let hin = Int64(differences[j])
              let hinIsNegative = UInt64(bitPattern: hin >> 63) & 1
              let hinIsPositive = UInt64(bitPattern: (hin + 1) >> 1)
              let eq = masks[Int(t[j])]
              let xv = eq | mv
              let eqIn = eq | hinIsNegative
              let xh = (((eqIn & pv) &+ pv) ^ pv) | eqIn
              var ph = mv | ~(xh | pv)
              var mh = pv & xh
              differences[j] = Int8(truncatingIfNeeded: Int64((ph >> lastRow) & 1) - Int64((mh >> lastRow) & 1))
              ph = (ph << 1) | hinIsPositive
              mh = (mh << 1) | hinIsNegative
              pv = mh | ~(xv | ph)
              mv = ph & xv
            }
          }
        }
      }
      for i in block..<end { masks[Int(p[i])] = 0 }
    }
    // D[m][n] = D[m][0] + the horizontal differences along the bottom row.
    return differences.reduce(p.count) { $0 + Int($1) }
  }

  /// The distance when it is at most `limit` (Ukkonen's band of diagonals), else `nil`; `short` is the shorter
  /// and the lengths differ by at most `limit`.
  static func banded(_ short: ArraySlice<UInt32>, _ long: ArraySlice<UInt32>, limit k: Int) -> Int? {
    let a = Array(short)
    let b = Array(long)
    let n = a.count
    let m = b.count
    let beyond = k + 1
    // Row i keeps D[i][j] for j − i in −k…k at index j − i + k + 1; indices 0 and 2k + 2 stay `beyond`.
    var previous = [Int](repeating: beyond, count: 2 * k + 3)
    var current = previous
    for j in 0...min(k, m) { previous[j + k + 1] = j }
    for i in stride(from: 1, through: n, by: 1) {
      let outcome = previous.withUnsafeBufferPointer { previous in
        current.withUnsafeMutableBufferPointer { current in
          for index in current.indices { current[index] = beyond }
          var rowMinimum = beyond
          let x = a[i - 1]
          for j in max(0, i - k)...min(m, i + k) {
            let d = j - i + k + 1
            var value = i  // D[i][0]
            if j > 0 {
              let substitution = previous[d] + (x == b[j - 1] ? 0 : 1)
              value = min(min(substitution, beyond), min(previous[d + 1], current[d - 1]) + 1)
            }
            current[d] = value
            rowMinimum = min(rowMinimum, value)
          }
          return rowMinimum
        }
      }
      if outcome > k { return nil }
      swap(&previous, &current)
    }
    let distance = previous[m - n + k + 1]
    return distance <= k ? distance : nil
  }
}
