import Testing

@testable import EvalCore

struct PagedArrayTests {
  struct Pair: Equatable {
    var a: UInt64
    var b: Int32
  }

  /// More than the resident limit goes through the pages, so they are handed back (Linux) while values are
  /// written and read: every value reads back as written, across growth too.
  @Test func valuesSurviveGrowthAndPagesHandedBack() {
    var array = PagedArray<Pair>()
    let n = 3 * PagedArray<Pair>.residentLimit / MemoryLayout<Pair>.stride / 2
    for i in 0..<n { array.append(Pair(a: UInt64(i) &* 0x9E37_79B9_7F4A_7C15, b: Int32(truncatingIfNeeded: i))) }
    #expect(array.count == n)
    var wrong = 0
    for _ in 0..<2 {
      for i in 0..<n where array[i] != Pair(a: UInt64(i) &* 0x9E37_79B9_7F4A_7C15, b: Int32(truncatingIfNeeded: i)) {
        wrong += 1
      }
    }
    #expect(wrong == 0)
  }

  @Test func aCopyKeepsItsValuesWhenTheOtherChanges() {
    var a = PagedArray<Int32>()
    for i in 0..<10_000 { a.append(Int32(i)) }
    var b = a
    b[5] = -1
    b.append(42)
    a.append(contentsOf: [7, 8])
    #expect(a[5] == 5)
    #expect(b[5] == -1)
    #expect(a.count == 10_002 && b.count == 10_001)
    #expect(a[10_000] == 7 && b[10_000] == 42)
  }

  @Test func bytesReadBackInRangesAndPermuted() {
    var text = PagedArray<UInt8>()
    let words = ["", "a", "héllo", "😀 wide", String(repeating: "x", count: 70_000)]
    var spans: [Range<Int>] = []
    for w in words {
      let start = text.count
      text.append(contentsOf: w.utf8)
      spans.append(start..<text.count)
    }
    for (w, span) in zip(words, spans) {
      #expect(text.withElements(in: span) { String(decoding: $0, as: UTF8.self) } == w)
    }
    var numbers = PagedArray<Int>()
    for i in 0..<1000 { numbers.append(i * 3) }
    let order = (0..<1000).reversed().map { $0 }
    let permuted = numbers.permuted(order)
    #expect((0..<1000).allSatisfy { permuted[$0] == (999 - $0) * 3 })
    #expect(numbers[0] == 0)
  }
}
