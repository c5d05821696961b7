import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A growable array of plain values whose memory is a file the kernel pages in and out: a run's packed rows
/// (about 170 MB at 1,000,000 cases) stay out of the process's resident memory between the passes that read
/// them. This is storage, not input or output: the file is made in the temporary directory and unlinked at
/// once (nothing else can open it; it goes with the process). On Linux, every ``residentLimit`` bytes read or
/// written, the mapping's pages are handed back (`MADV_DONTNEED`): the kernel keeps them in its page cache,
/// which it can evict under pressure, unlike anonymous memory on a CI runner without swap. Where no temporary
/// file can be made, the memory is anonymous and nothing is handed back. An array of at most ``fileThreshold``
/// bytes is anonymous memory too, and moves into its file once it grows past that: a 1,000-case run made 22
/// such files for arrays of a few kilobytes, and creating, mapping, closing and dropping them cost more than
/// their pages (docs/benchmarks.md, session 18).
///
/// Written by hand: no listed package maps memory. docs/benchmarks.md (session 10) has what it saves at 10^6
/// cases. A value type: a copy shares the storage until one of them is changed.
public struct PagedArray<Element: BitwiseCopyable>: Sendable {
  private var storage: Storage

  /// Bytes read or written between two hand-backs of the pages.
  public static var residentLimit: Int { 2 << 20 }

  /// The most bytes an array keeps in anonymous memory before it moves into a file.
  public static var fileThreshold: Int { 1 << 20 }

  /// An empty array.
  public init() { storage = Storage(capacity: 0) }

  /// The number of elements.
  public var count: Int { storage.count }

  /// How many times the pages were handed back (for tests).
  var handBacks: Int { storage.handedBack }

  /// Whether the elements are in a file rather than anonymous memory (for tests).
  var isFileBacked: Bool { storage.isFileBacked }

  /// Room for `n` elements without growing.
  public mutating func reserveCapacity(_ n: Int) {
    if n > storage.capacity { unique(capacity: n) }
  }

  /// The element at `i`.
  public subscript(_ i: Int) -> Element {
    get {
      precondition(i >= 0 && i < storage.count, "index out of range")
      storage.touch(at: i * MemoryLayout<Element>.stride, bytes: MemoryLayout<Element>.stride)
      return storage.base[i]
    }
    set {
      precondition(i >= 0 && i < storage.count, "index out of range")
      unique(capacity: storage.capacity)
      storage.touch(at: i * MemoryLayout<Element>.stride, bytes: MemoryLayout<Element>.stride)
      storage.base[i] = newValue
    }
  }

  /// Adds `element` at the end.
  public mutating func append(_ element: Element) {
    unique(capacity: storage.count + 1)
    storage.base[storage.count] = element
    storage.count += 1
    storage.touch(at: (storage.count - 1) * MemoryLayout<Element>.stride, bytes: MemoryLayout<Element>.stride)
  }

  /// Adds `elements` at the end.
  public mutating func append(contentsOf elements: some Collection<Element>) {
    let n = elements.count
    guard n > 0 else { return }
    unique(capacity: storage.count + n)
    let rest = UnsafeMutableBufferPointer(start: storage.base + storage.count, count: n)
    _ = rest.initialize(from: elements)
    storage.touch(at: storage.count * MemoryLayout<Element>.stride, bytes: n * MemoryLayout<Element>.stride)
    storage.count += n
  }

  /// Calls `body` with the elements in `range` (bounds checked), counting them as read. `scattered`: the reads
  /// go through the array in no order, and each may map a 64 KB window of pages (the kernel maps the pages
  /// around a faulting one), so each is counted as that much.
  /// A scattered read in a window that an earlier scattered read brought in since the pages were last handed back
  /// maps nothing new and counts as its own bytes.
  public func withElements<R>(
    in range: Range<Int>, scattered: Bool = false, _ body: (UnsafeBufferPointer<Element>) throws -> R
  ) rethrows -> R {
    precondition(range.lowerBound >= 0 && range.upperBound <= storage.count, "range out of bounds")
    let bytes = range.count * MemoryLayout<Element>.stride
    if scattered {
      storage.touchScattered(at: range.lowerBound * MemoryLayout<Element>.stride, bytes: bytes)
    } else {
      storage.touch(at: range.lowerBound * MemoryLayout<Element>.stride, bytes: bytes)
    }
    return try body(UnsafeBufferPointer(start: storage.base + range.lowerBound, count: range.count))
  }

  /// Lets scattered reads (``withElements(in:scattered:_:)``) bring in up to `bytes` between two hand-backs
  /// instead of ``residentLimit``: for one pass that gathers the elements into a new order, where the windows it
  /// reads are read again and again. Gathering a 100,000-case run's rows into report order with 2 MB made 90 % of
  /// the run's page faults (docs/benchmarks.md, session 12).
  public func allowScatteredReads(upTo bytes: Int) {
    storage.scatteredLimit = Swift.max(PagedArray.residentLimit, bytes)
  }

  /// ``allowScatteredReads(upTo:)`` when the whole array fits in `bytes`; otherwise nothing changes.
  public func allowScatteredReadsWhenWhole(upTo bytes: Int) {
    if count * MemoryLayout<Element>.stride <= bytes { allowScatteredReads(upTo: bytes) }
  }

  /// Sorts the elements in place (their pages are handed back after).
  public mutating func sort(by areInIncreasingOrder: (Element, Element) -> Bool) {
    withUnsafeMutableElements { $0.sort(by: areInIncreasingOrder) }
  }

  /// Calls `body` with the elements to rearrange in place (their pages are handed back after): a caller in another
  /// module sorts them there, where the sort is compiled for its element type. ``sort(by:)`` called from another
  /// module runs the unspecialized sort: 1.3 ms for a 1,000-case run's fragment index (docs/benchmarks.md,
  /// session 18).
  public mutating func withUnsafeMutableElements<R>(
    _ body: (inout UnsafeMutableBufferPointer<Element>) throws -> R
  ) rethrows -> R {
    unique(capacity: storage.capacity)
    var elements = UnsafeMutableBufferPointer(start: storage.base, count: storage.count)
    defer { storage.add(PagedArray.residentLimit) }
    return try body(&elements)
  }

  /// The index of the first element in `0..<count` for which `isAtOrAfter` holds, `count` when none does:
  /// a binary search over elements ordered so that `isAtOrAfter` is false, then true. Its probes count as
  /// scattered reads: the first ones fall in the same few windows search after search, which stay mapped (counted
  /// as 1 KB each, the probes made 280 of a 20,000-case run's 1,685 `madvise` calls).
  public func partitioningIndex(where isAtOrAfter: (Element) -> Bool) -> Int {
    var (low, high) = (0, storage.count)
    while low < high {
      let middle = low + (high - low) / 2
      storage.touchScattered(at: middle * MemoryLayout<Element>.stride, bytes: MemoryLayout<Element>.stride)
      if isAtOrAfter(storage.base[middle]) { high = middle } else { low = middle + 1 }
    }
    return low
  }

  /// The same elements in the order of `order`, a permutation of the indices (read one by one, written in turn).
  public func permuted(_ order: [Int]) -> PagedArray {
    precondition(order.count == count, "not a permutation of the indices")
    var out = PagedArray()
    out.reserveCapacity(count)
    for i in order { out.append(self[i]) }
    return out
  }

  /// Makes the storage this value's own, with room for `capacity` elements.
  private mutating func unique(capacity: Int) {
    if !isKnownUniquelyReferenced(&storage) {
      let copy = Storage(capacity: Swift.max(capacity, storage.count))
      copy.base.update(from: storage.base, count: storage.count)
      copy.count = storage.count
      storage = copy
    } else if capacity > storage.capacity {
      storage.grow(to: Swift.max(capacity, storage.capacity * 2))
    }
  }

  /// The mapping. Its elements change only through a uniquely referenced array (``unique(capacity:)``); what is
  /// shared between threads is reading, and the count of bytes touched, which is atomic.
  final class Storage: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    var count = 0
    /// The backing file, or −1 before there is one (or when none could be made).
    private var fd: Int32 = -1
    /// Whether the mapping is the file's (anonymous memory must never be handed back: it would read as zeros).
    private var fileBacked: Bool
    private let touched = Atomic<Int>(0)
    /// The 64 KB window of the last access (−1 after a hand-back).
    private let lastWindow = Atomic<Int>(-1)
    /// How many times the pages were handed back: the windows below belong to one hand-back.
    private let handBacks = Atomic<Int>(0)
    /// The 64 KB windows scattered reads brought in since the last hand-back (at most ``scatteredLimit`` / 64 KB
    /// of them are new between two hand-backs, as each new one counts as 64 KB).
    private let windows = Mutex(Windows())
    /// What scattered reads may bring in between two hand-backs (``PagedArray/allowScatteredReads(upTo:)``).
    private let scatteredBytes = Atomic<Int>(PagedArray.residentLimit)

    struct Windows {
      var handBack = 0
      var seen: Set<Int> = []
    }

    var scatteredLimit: Int {
      get { scatteredBytes.load(ordering: .relaxed) }
      set { scatteredBytes.store(newValue, ordering: .relaxed) }
    }

    /// How many times the pages were handed back so far (for tests).
    var handedBack: Int { handBacks.load(ordering: .relaxed) }

    /// Whether the elements are in the file (for tests).
    var isFileBacked: Bool { fileBacked }

    init(capacity: Int) {
      let initial = Swift.max(capacity, 4096 / Swift.max(1, MemoryLayout<Element>.stride))
      let bytes = Swift.max(1, initial * MemoryLayout<Element>.stride)
      if bytes > PagedArray.fileThreshold { fd = Storage.makeFile() }
      (base, fileBacked) = Storage.map(bytes, fd: fd)
      self.capacity = initial
    }

    deinit {
      unmap()
      if fd >= 0 { close(fd) }
    }

    /// Counts `bytes` read or written at byte `offset`, and hands the pages back when the limit is passed. An
    /// access counts as 1 KB at least: accesses in no order each bring a page of their own in, so at most four
    /// times the limit is resident however the elements are read. An access in the same 64 KB window as the one
    /// before counts as its own bytes: reading or writing in order brings in no more than it reads or writes (at
    /// 1 KB an element, each pass of the reports over a run's 72-byte rows handed their pages back every 2,048 rows;
    /// with the index probes below, 6,400 of a 100,000-case run's 14,000 `madvise` calls, docs/benchmarks.md
    /// session 11).
    func touch(at offset: Int, bytes: Int) {
      #if os(Linux)
        guard fileBacked else { return }
        let window = offset >> 16
        let same = lastWindow.exchange(window, ordering: .relaxed) == window
        add(same ? bytes : Swift.max(bytes, 1024))
      #endif
    }

    /// Counts `bytes` brought in, and hands the pages back when `limit` is passed.
    func add(_ bytes: Int, limit: Int = PagedArray.residentLimit) {
      #if os(Linux)
        guard fileBacked else { return }
        let total = touched.add(bytes, ordering: .relaxed).newValue
        if total >= limit {
          touched.store(0, ordering: .relaxed)
          _ = madvise(UnsafeMutableRawPointer(base), capacity * MemoryLayout<Element>.stride, MADV_DONTNEED)
          handBacks.add(1, ordering: .relaxed)
          lastWindow.store(-1, ordering: .relaxed)
        }
      #endif
    }

    /// Counts a read of `bytes` at byte `offset` in no particular order: as the 64 KB window the kernel maps around
    /// a faulting page when the read falls in a window not read since the pages were last handed back, else as its
    /// own bytes (the window is still mapped). Counting every scattered read as 64 KB handed the pages back every
    /// 32 reads even when they were next to each other, as when the run's rows, finished in nearly report order,
    /// are copied into it: 3,300 of a 100,000-case run's 17,300 `madvise` calls and 44,000 of its page faults, in
    /// one thread after the calls (docs/benchmarks.md, session 11).
    func touchScattered(at offset: Int, bytes: Int) {
      #if os(Linux)
        guard fileBacked else { return }
        let (first, last) = (offset >> 16, (offset + Swift.max(bytes, 1) - 1) >> 16)
        let fresh = windows.withLock { w -> Bool in
          let handBack = handBacks.load(ordering: .relaxed)
          if w.handBack != handBack {
            w.handBack = handBack
            w.seen.removeAll(keepingCapacity: true)
          }
          guard last - first < 32 else { return true }
          var fresh = false
          for window in first...last where w.seen.insert(window).inserted { fresh = true }
          return fresh
        }
        add(fresh ? Swift.max(bytes, 64 << 10) : bytes, limit: scatteredLimit)
      #endif
    }

    /// Maps room for `newCapacity` elements, keeping the elements there are: in the file once the array is past
    /// ``PagedArray/fileThreshold`` (the file is made then; a file that cannot be made leaves it in memory).
    func grow(to newCapacity: Int) {
      let bytes = Swift.max(1, newCapacity * MemoryLayout<Element>.stride)
      let oldBytes = capacity * MemoryLayout<Element>.stride
      // An array in memory (never in a file) that grows past the threshold gets its file now.
      let moving = fd < 0 && !fileBacked && bytes > PagedArray.fileThreshold && oldBytes <= PagedArray.fileThreshold
      if moving { fd = Storage.makeFile() }
      if fileBacked, Storage.hasRoom(fd, for: bytes - oldBytes), ftruncate(fd, off_t(bytes)) == 0 {
        // The file keeps the elements: the old mapping goes, the new one maps the longer file.
        unmap()
        let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        guard p != MAP_FAILED, let p else { Storage.fail(bytes) }
        base = p.bindMemory(to: Element.self, capacity: newCapacity)
        handBacks.add(1, ordering: .relaxed)  // the windows read so far are no longer mapped
      } else {
        // Copied into the new mapping: the file just made, else anonymous memory (also for a file out of room).
        let old = base
        (base, fileBacked) = Storage.map(bytes, fd: moving ? fd : -1)
        base.update(from: old, count: count)
        munmap(UnsafeMutableRawPointer(old), oldBytes)
      }
      capacity = newCapacity
    }

    /// `bytes` of `fd` mapped shared (the file made that long first), or of anonymous memory when `fd` is −1 or
    /// cannot be mapped; whether the mapping is the file's.
    private static func map(_ bytes: Int, fd: Int32) -> (UnsafeMutablePointer<Element>, Bool) {
      let elements = bytes / Swift.max(1, MemoryLayout<Element>.stride)
      if fd >= 0, hasRoom(fd, for: bytes), ftruncate(fd, off_t(bytes)) == 0 {
        let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        if p != MAP_FAILED, let p { return (p.bindMemory(to: Element.self, capacity: elements), true) }
      }
      let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
      guard p != MAP_FAILED, let p else { fail(bytes) }
      return (p.bindMemory(to: Element.self, capacity: elements), false)
    }

    /// Whether the file system of `fd` has room for `bytes` more and 64 MB to spare. A page of a shared mapping
    /// that the file system has no block for stops the process (SIGBUS) when it is written, so an array whose
    /// temporary directory is (nearly) full takes anonymous memory instead: more resident memory, never a crash.
    /// Another process can still fill the directory after this check; checked at each growth (the capacity
    /// doubles), the margin covers the writes in between. (Allocating the blocks up front with `posix_fallocate`
    /// was tried in session 10 and reverted.)
    private static func hasRoom(_ fd: Int32, for bytes: Int) -> Bool {
      if let room = PagedFiles.room { return room >= bytes }
      var s = statvfs()
      guard fstatvfs(fd, &s) == 0 else { return true }
      let (available, spare) = Int(s.f_bavail).multipliedReportingOverflow(by: Int(s.f_frsize))
      return spare || available >= bytes + (64 << 20)
    }

    private static func fail(_ bytes: Int) -> Never {
      fatalError("cannot map \(bytes) bytes of memory: \(String(cString: strerror(errno)))")
    }

    private func unmap() {
      if capacity > 0 { munmap(UnsafeMutableRawPointer(base), capacity * MemoryLayout<Element>.stride) }
    }

    /// An unlinked file in the temporary directory, or −1.
    private static func makeFile() -> Int32 {
      var template = Array((NSTemporaryDirectory() + "/evalgate-\(PagedFiles.tag)-XXXXXX").utf8CString)
      let fd = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
      guard fd >= 0 else { return -1 }
      template.withUnsafeBufferPointer { _ = $0.baseAddress.map { unlink($0) } }
      return fd
    }
  }
}

/// How the paged arrays' files are named: `evalgate-<tag>-XXXXXX` in the temporary directory (`rows` unless a
/// test tells its own arrays apart from those of tests running beside it).
enum PagedFiles {
  @TaskLocal static var tag = "rows"
  /// The room the temporary directory has, when a test says so instead of the file system.
  @TaskLocal static var room: Int?
}
