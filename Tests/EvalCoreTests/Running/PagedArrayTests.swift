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

#if os(Linux)
  import Foundation

  /// The pages are handed back: an array ten times the resident limit, written and read through, never has more
  /// than a few limits' worth of its file mapped (what `/proc/self/smaps` counts for the process).
  struct PagedArrayResidenceTests {
    /// The resident kB of the arrays made in `body` (tests run side by side in one process).
    static func measured(_ body: (_ resident: () -> Int) throws -> Void) rethrows {
      let tag = "test-\(UInt32.random(in: 0...UInt32.max))"
      try PagedFiles.$tag.withValue(tag) { try body { residentKB(tag: tag) } }
    }

    static func residentKB(tag: String) -> Int {
      // Read to the end: /proc files report a size of 0.
      guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else { return -1 }
      defer { try? handle.close() }
      let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
      var total = 0
      var inRows = false
      for line in text.split(separator: "\n") {
        if line.split(separator: " ").first?.contains("-") == true, line.first?.isHexDigit == true {
          inRows = line.contains("evalgate-\(tag)-")
        } else if inRows, line.hasPrefix("Rss:") {
          total += Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
        }
      }
      return total
    }

    @Test func residenceStaysBoundedWhileWritingAndReading() {
      Self.measured { residentKB in
        var array = PagedArray<UInt64>()
        let n = 10 * PagedArray<UInt64>.residentLimit / 8
        var most = 0
        for i in 0..<n {
          array.append(UInt64(i))
          if i % 50_000 == 0 { most = max(most, residentKB()) }
        }
        var sum: UInt64 = 0
        for i in 0..<n {
          sum &+= array[i]
          if i % 50_000 == 0 { most = max(most, residentKB()) }
        }
        #expect(sum == UInt64(n) * UInt64(n - 1) / 2)
        #expect(most > 0, "the arrays' mappings are found")
        #expect(most <= 3 * PagedArray<UInt64>.residentLimit / 1024, "resident \(most) kB")
      }
    }

    /// Scattered reads that fall next to each other (rows copied into report order when they finished in nearly
    /// that order) bring no new window in, so they hand the pages back about as often as reading in order does;
    /// reads all over the array still count as a window each and hand them back as often as before.
    @Test func scatteredReadsInOneWindowCountOnce() {
      Self.measured { residentKB in
        var array = PagedArray<UInt64>()
        let n = 4 * PagedArray<UInt64>.residentLimit / 8
        for i in 0..<n { array.append(UInt64(i)) }
        var sum: UInt64 = 0
        var start = array.handBacks
        for i in 0..<n { sum &+= array.withElements(in: i..<i + 1, scattered: true) { $0[0] } }
        let nearby = array.handBacks - start
        #expect(sum == UInt64(n) * UInt64(n - 1) / 2)
        // 8 MB read: 128 windows of 64 KB counted once each (4 limits) and the bytes themselves (4 more).
        #expect(nearby <= 12, "handed back \(nearby) times")

        var rng = SplitMix64(seed: 11)
        var most = 0
        start = array.handBacks
        for k in 0..<(n / 64) {
          let i = Int(rng.next() % UInt64(n))
          #expect(array.withElements(in: i..<i + 1, scattered: true) { $0[0] } == UInt64(i))
          if k % 1_000 == 0 { most = max(most, residentKB()) }
        }
        let all = array.handBacks - start
        // 16,384 reads over 128 windows, at most 32 of them seen since the last hand-back: most count 64 KB.
        #expect(all >= 200, "handed back \(all) times")
        #expect(most <= 4 * PagedArray<UInt64>.residentLimit / 1024, "resident \(most) kB")
      }
    }

    /// A temporary directory without room (or that runs out of it as the array grows) gives anonymous memory,
    /// never a file whose pages cannot be written (SIGBUS): every value reads back.
    @Test func aFullTemporaryDirectoryFallsBackToMemory() {
      Self.measured { _ in
        var full = PagedArray<UInt64>()
        var filling = PagedArray<UInt64>()
        let past = 2 * PagedArray<UInt64>.fileThreshold / 8
        PagedFiles.$room.withValue(0) { for i in 0..<past { full.append(UInt64(i)) } }
        #expect(!full.isFileBacked, "no room for its file: in memory")
        for i in 0..<past { filling.append(UInt64(i)) }
        #expect(filling.isFileBacked)
        PagedFiles.$room.withValue(1 << 20) {
          for i in past..<10 * past {
            filling.append(UInt64(i))
            full.append(UInt64(i))
          }
        }
        #expect(!filling.isFileBacked, "grown past the room left: in memory")
        #expect((0..<10 * past).allSatisfy { filling[$0] == UInt64($0) && full[$0] == UInt64($0) })
      }
    }

    /// An array of at most ``PagedArray/fileThreshold`` bytes has no file: a run's many small arrays cost no
    /// temporary files. Past it the array moves into its file, every value with it.
    @Test func aSmallArrayHasNoFileUntilItGrows() {
      Self.measured { residentKB in
        var array = PagedArray<UInt64>()
        let small = PagedArray<UInt64>.fileThreshold / 8
        for i in 0..<small { array.append(UInt64(i)) }
        #expect(!array.isFileBacked)
        #expect(residentKB() == 0, "no file mapped")
        array.append(UInt64(small))
        #expect(array.isFileBacked)
        #expect(residentKB() > 0, "its file mapped")
        #expect((0...small).allSatisfy { array[$0] == UInt64($0) })
      }
    }

    /// A pass allowed more (``PagedArray/allowScatteredReads(upTo:)``) gathers an array in a random order
    /// without handing its pages back while its windows fit the allowance, and still within it when they do not.
    @Test func aGatherAllowedMoreKeepsItsWindows() {
      Self.measured { residentKB in
        let n = 2 * PagedArray<UInt64>.residentLimit / 8  // 4 MB: 64 windows
        var order = Array(0..<n)
        var rng = SplitMix64(seed: 29)
        order.shuffle(using: &rng)
        func gather(allowing bytes: Int?, whenWhole: Bool = false) -> (handBacks: Int, mostKB: Int) {
          var array = PagedArray<UInt64>()
          for i in 0..<n { array.append(UInt64(i)) }
          if let bytes {
            if whenWhole {
              array.allowScatteredReadsWhenWhole(upTo: bytes)
            } else {
              array.allowScatteredReads(upTo: bytes)
            }
          }
          let start = array.handBacks
          var most = 0
          var misread = 0
          for (k, i) in order.enumerated() {
            if array.withElements(in: i..<i + 1, scattered: true, { $0[0] }) != UInt64(i) { misread += 1 }
            if k % 20_000 == 0 { most = max(most, residentKB()) }
          }
          #expect(misread == 0)
          return (array.handBacks - start, most)
        }
        let plain = gather(allowing: nil)
        let roomy = gather(allowing: 16 << 20)
        let tight = gather(allowing: 3 << 20)
        // Only an array that fits whole is allowed more: a 4 MB one is not, in 3 MB.
        let notWhole = gather(allowing: 3 << 20, whenWhole: true)
        let whole = gather(allowing: 16 << 20, whenWhole: true)
        #expect(notWhole.handBacks >= 1_000, "handed back \(notWhole.handBacks) times")
        #expect(whole.handBacks <= 4, "handed back \(whole.handBacks) times")
        // 524,288 reads over 64 windows: at 2 MB, a hand-back every 32 new windows, again and again.
        #expect(plain.handBacks >= 1_000, "handed back \(plain.handBacks) times")
        #expect(roomy.handBacks <= 4, "handed back \(roomy.handBacks) times with room for every window")
        #expect(tight.handBacks < plain.handBacks, "3 MB: \(tight.handBacks) against \(plain.handBacks)")
        #expect(tight.mostKB <= 4 * (3 << 20) / 1024, "resident \(tight.mostKB) kB with 3 MB allowed")
      }
    }

    /// A run's packed cases built, sorted into report order and read through as the reports do.
    @Test func aPackedRunStaysOutOfMemory() throws {
      try Self.measured { residentKB in
        let template = try RunnerTests.cases(1)[0]
        var rng = SplitMix64(seed: 3)
        var builder = CaseList.Builder(expected: 150_000)
        var most: [String: Int] = [:]
        func note(_ phase: String) { most[phase] = max(most[phase] ?? 0, residentKB()) }
        for i in 0..<150_000 {
          var c = CaseListTests.random(&rng, template: template, plain: true)
          c.outcome = .passed
          c.id = CaseID(number: rng.next())
          builder.append(c, compact: true)
          if i % 5_000 == 0 { note("built") }
        }
        builder.sortInReportOrder(suiteOrder: ["s": 0, "t": 1, "ü": 2])
        note("sorted")
        let list = builder.take()
        note("taken")
        var samples = 0
        for (i, c) in list.enumerated() {
          samples += c.attempts.count
          if i % 5_000 == 0 { note("read") }
        }
        #expect(samples > 0)

        // Three arrays (rows, samples, titles) of at most four limits each.
        let bound = 3 * 4 * PagedArray<UInt64>.residentLimit / 1024
        #expect(most.values.contains { $0 > 0 }, "the arrays' mappings are found")
        #expect(most.values.allSatisfy { $0 <= bound }, "resident kB by phase: \(most)")
      }
    }
  }
#endif
