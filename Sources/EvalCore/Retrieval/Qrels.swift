import Foundation

/// Relevance judgments (TREC qrels: `qid iter docno rel`, exactly four fields, integer grades; a negative
/// grade marks a document in the pool but not judged). Built from bytes in chunks by ``Builder`` (reading
/// the file is the caller's job); each query's judgments end up contiguous, with their docnos in one arena.
public struct Qrels: Sendable {
  /// One query's judgments.
  public struct Query: Sendable {
    /// The query id.
    public var id: String
    /// The query's judgments: `judgments[first..<first + count]`.
    var first: Int
    var count: Int
  }

  /// One judgment: a docno (in the arena), its grade and its line (16 bytes: a qrels file of 6 million
  /// lines fits in under 100 MB plus its docnos).
  struct Judgment: Sendable {
    var start: UInt32
    var line: UInt32
    var grade: Int32
    var count: UInt16
  }

  /// The queries, in file order of their first judgment.
  public private(set) var queries: [Query] = []
  /// The file the judgments came from (for messages).
  public var file: String
  var queryIndex = ByteKeyTable(capacity: 64)
  var judgments: [Judgment] = []
  var arena: [UInt8] = []

  init(file: String) { self.file = file }

  /// Parses qrels text held whole.
  /// - Throws: ``TrecInputError`` for a malformed line or a docno judged twice for a query.
  public init(bytes: UnsafeBufferPointer<UInt8>, file: String) throws {
    var builder = Builder(file: file)
    _ = try builder.consume(bytes, final: true)
    self = try builder.finish()
  }

  /// Parses qrels text held in an array.
  public init(bytes: [UInt8], file: String) throws {
    self = try bytes.withUnsafeBufferPointer { try Qrels(bytes: $0, file: file) }
  }

  /// The index of query `id` (its bytes), or `nil` when it has no judgments.
  func query(_ id: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
    queryIndex.find(owner: 0, key: id, hash: hash).map { queryIndex.value(at: $0) }
  }

  /// Every judged grade ≥ 0 of query `index`, highest first (the ideal ranking of nDCG).
  public func grades(of index: Int) -> [Int32] {
    let q = queries[index]
    return judgments[q.first..<(q.first + q.count)].lazy.map(\.grade).filter { $0 >= 0 }.sorted(by: >)
  }

  /// A small table of one query's judgments: looked up once per retrieved document, it stays in cache.
  func lookup(query: Int32) -> JudgmentLookup {
    let q = queries[Int(query)]
    return JudgmentLookup(qrels: self, range: q.first..<(q.first + q.count))
  }

  /// Whether judgment `j`'s docno is `doc`.
  @inline(__always)
  func docno(of j: Judgment, is doc: UnsafeBufferPointer<UInt8>) -> Bool {
    guard Int(j.count) == doc.count else { return false }
    return arena.withUnsafeBufferPointer { a in
      guard let base = a.baseAddress, let d = doc.baseAddress else { return doc.isEmpty }
      return memcmp(base + Int(j.start), d, doc.count) == 0
    }
  }

  func docno(of j: Judgment) -> String {
    String(decoding: arena[Int(j.start)..<(Int(j.start) + Int(j.count))], as: UTF8.self)
  }

  /// Builds ``Qrels`` from chunks of a file.
  public struct Builder: Sendable {
    var qrels: Qrels
    /// Where each stretch of one query's judgments starts: (query, first judgment). A grouped file has one
    /// stretch per query.
    var stretches: [(query: Int32, first: Int)] = []
    var fields: [Range<Int>] = []
    var line = 0
    var lastQID: [UInt8] = []
    var lastQuery: Int32 = -1
    /// The current stretch's docnos, to refuse one judged twice at its line.
    var seen = DocnoSet()
    /// Queries whose judgments come in more than one stretch: checked for duplicates at the end.
    var scattered: Set<Int32> = []

    /// Starts an empty set of judgments for `file`; `expectedBytes` (the file's size) sizes the storage
    /// for the most lines the file can hold, so it never grows by copying (pages never written cost no
    /// memory).
    public init(file: String, expectedBytes: Int = 0) {
      qrels = Qrels(file: file)
      qrels.judgments.reserveCapacity(expectedBytes / 8)  // a qrels line is at least 8 bytes
      qrels.arena.reserveCapacity(expectedBytes)
    }

    /// Parses the complete lines of `chunk` and returns the bytes used (see ``TrecRunParser/consume``).
    /// - Throws: ``TrecInputError`` for a malformed line.
    public mutating func consume(_ p: UnsafeBufferPointer<UInt8>, final: Bool) throws -> Int {
      try TrecText.forEachLine(p, final: final) { start, end in
        line += 1
        try parse(p, start, end)
      }
    }

    mutating func parse(_ p: UnsafeBufferPointer<UInt8>, _ lineStart: Int, _ lineEnd: Int) throws {
      guard let n = TrecText.fields(p, from: lineStart, to: lineEnd, into: &fields, max: 4) else { return }
      let file = qrels.file
      let line = self.line
      func fail(_ message: String, field: Int? = nil) -> TrecInputError {
        TrecInputError(
          message, file: file, line: line, column: field.map { fields[$0].lowerBound - lineStart + 1 } ?? 1)
      }
      guard n == 4 else { throw fail("a qrels line has 4 fields (qid iter docno rel), found \(n)") }
      guard let grade = TrecText.int(p, fields[3]), grade > Int(Int32.min), grade <= Int(Int32.max) else {
        throw fail("relevance '\(TrecText.string(p, fields[3]))' is not an integer", field: 3)
      }
      guard fields[2].count <= Int(UInt16.max), qrels.arena.count <= Int(UInt32.max) - fields[2].count else {
        throw fail("docno too long, or qrels over 4 GiB of docnos", field: 2)
      }
      let qid = UnsafeBufferPointer(rebasing: p[fields[0]])
      if !TrecRunParser.same(qid, lastQID) {
        let q = qrels.queryIndex.insert(
          owner: 0, key: qid, hash: ByteKeyTable.hash(qid), value: Int32(qrels.queries.count))
        if q.inserted { qrels.queries.append(Query(id: TrecText.string(p, fields[0]), first: 0, count: 0)) }
        lastQID = Array(qid)
        lastQuery = qrels.queryIndex.value(at: q.index)
        if !q.inserted { scattered.insert(lastQuery) }
        stretches.append((lastQuery, qrels.judgments.count))
        seen.clear()
      }
      let doc = UnsafeBufferPointer(rebasing: p[fields[2]])
      if let first = seen.insert(doc, index: qrels.judgments.count, in: qrels) {
        throw TrecInputError(
          "document '\(TrecText.string(p, fields[2]))' is judged twice for query '\(qrels.queries[Int(lastQuery)].id)'",
          file: file, line: line, firstLine: Int(qrels.judgments[first].line))
      }
      qrels.judgments.append(
        Judgment(
          start: UInt32(qrels.arena.count), line: UInt32(truncatingIfNeeded: line), grade: Int32(grade),
          count: UInt16(doc.count)))
      qrels.arena.append(contentsOf: doc)
    }

    /// Lines read so far.
    public var lines: Int { line }

    /// Appends what `next` read from the following part of the same file (its lines counted from 1),
    /// so a large file can be read in two parts at once.
    public mutating func append(_ next: Builder) {
      let lineOffset = UInt32(truncatingIfNeeded: line)
      let arenaOffset = UInt32(qrels.arena.count)
      let judgmentOffset = qrels.judgments.count
      var index: [Int32] = []
      for q in next.qrels.queries {
        let id = Array(q.id.utf8)
        let added = id.withUnsafeBufferPointer {
          qrels.queryIndex.insert(owner: 0, key: $0, hash: ByteKeyTable.hash($0), value: Int32(qrels.queries.count))
        }
        if added.inserted { qrels.queries.append(Query(id: q.id, first: 0, count: 0)) }
        index.append(qrels.queryIndex.value(at: added.index))
      }
      qrels.judgments += next.qrels.judgments.lazy.map { j in
        var j = j
        j.start += arenaOffset
        j.line += lineOffset
        return j
      }
      qrels.arena += next.qrels.arena
      for (n, s) in next.stretches.enumerated() {
        let query = index[Int(s.query)]
        // A query running across the split is one stretch, checked for duplicates at the end.
        if n == 0, stretches.last?.query == query {
          scattered.insert(query)
          continue
        }
        stretches.append((query, s.first + judgmentOffset))
      }
      scattered.formUnion(next.scattered.map { index[Int($0)] })
      line += next.line
      lastQID = next.lastQID
      lastQuery = next.lastQuery >= 0 ? index[Int(next.lastQuery)] : lastQuery
    }

    /// The judgments, each query's together.
    /// - Throws: ``TrecInputError`` at the second line of a docno judged twice for one query.
    public mutating func finish() throws -> Qrels {
      var out = qrels
      qrels = Qrels(file: out.file)
      let total = out.judgments.count
      let ends = stretches.dropFirst().map(\.first) + [total]
      if Set(stretches.map(\.query)).count != stretches.count {
        // A query in several stretches: gather each query's judgments (stable, so first lines stay first).
        var byQuery = [[Range<Int>]](repeating: [], count: out.queries.count)
        for (s, end) in zip(stretches, ends) { byQuery[Int(s.query)].append(s.first..<end) }
        var judgments: [Judgment] = []
        judgments.reserveCapacity(total)
        stretches = []
        for (q, ranges) in byQuery.enumerated() {
          stretches.append((Int32(q), judgments.count))
          for r in ranges { judgments += out.judgments[r] }
        }
        out.judgments = judgments
      }
      for (s, end) in zip(stretches, stretches.dropFirst().map(\.first) + [total]) {
        out.queries[Int(s.query)].first = s.first
        out.queries[Int(s.query)].count = end - s.first
      }
      stretches = []
      // A docno judged twice in different stretches of one query is an error too.
      for q in scattered.sorted() {
        let query = out.queries[Int(q)]
        try JudgmentLookup(qrels: out, range: query.first..<(query.first + query.count)).checkUnique(
          qrels: out, query: query.id)
      }
      return out
    }
  }
}

/// The docnos of one stretch of a qrels file, with the judgment index of each: a generation-stamped open
/// addressing table reused from query to query, so checking for duplicates allocates nothing per line.
struct DocnoSet: Sendable {
  var stamps: [UInt32] = Array(repeating: 0, count: 256)
  var slots: [Int32] = Array(repeating: 0, count: 256)
  var hashes: [UInt64] = Array(repeating: 0, count: 256)
  var generation: UInt32 = 1
  var count = 0

  mutating func clear() {
    generation &+= 1
    count = 0
    if generation == 0 {
      stamps = Array(repeating: 0, count: stamps.count)
      generation = 1
    }
  }

  /// Adds `doc` (judgment `index`); returns the earlier judgment's index when it is already there.
  mutating func insert(_ doc: UnsafeBufferPointer<UInt8>, index: Int, in qrels: Qrels) -> Int? {
    if (count + 1) * 2 > stamps.count { grow(qrels) }
    let h = ByteKeyTable.mix(ByteKeyTable.hash(doc), owner: 0)
    let mask = stamps.count - 1
    var i = Int(truncatingIfNeeded: h) & mask
    while stamps[i] == generation {
      if hashes[i] == h, qrels.docno(of: qrels.judgments[Int(slots[i])], is: doc) { return Int(slots[i]) }
      i = (i + 1) & mask
    }
    stamps[i] = generation
    slots[i] = Int32(index)
    hashes[i] = h
    count += 1
    return nil
  }

  mutating func grow(_ qrels: Qrels) {
    let old = (0..<stamps.count).filter { stamps[$0] == generation }.map { (slots[$0], hashes[$0]) }
    let size = stamps.count * 2
    stamps = Array(repeating: 0, count: size)
    slots = Array(repeating: 0, count: size)
    hashes = Array(repeating: 0, count: size)
    generation = 1
    for (slot, h) in old {
      var i = Int(truncatingIfNeeded: h) & (size - 1)
      while stamps[i] == generation { i = (i + 1) & (size - 1) }
      stamps[i] = generation
      slots[i] = slot
      hashes[i] = h
    }
  }
}

/// One query's judgments by docno: open addressing over 64-bit slots holding a hash tag and the judgment,
/// so a document that is not judged (most of a run) is ruled out without touching the judgments.
struct JudgmentLookup: Sendable {
  let qrels: Qrels
  var slots: [UInt64]
  /// Hashes of the query's docnos, from judgment `first` on.
  var hashes: [UInt64]
  let first: Int
  let mask: Int
  static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

  init(qrels: Qrels, range: Range<Int>) {
    self.qrels = qrels
    first = range.lowerBound
    var size = 16
    while size < range.count * 2 { size <<= 1 }
    mask = size - 1
    var slots = [UInt64](repeating: 0, count: size)
    hashes = qrels.arena.withUnsafeBufferPointer { arena in
      range.map { e in
        let j = qrels.judgments[e]
        let doc = UnsafeBufferPointer(rebasing: arena[Int(j.start)..<(Int(j.start) + Int(j.count))])
        return ByteKeyTable.mix(ByteKeyTable.hash(doc), owner: 0)
      }
    }
    for e in range {
      let h = hashes[e - range.lowerBound]
      var i = Int(truncatingIfNeeded: h) & (size - 1)
      while slots[i] != 0 { i = (i + 1) & (size - 1) }
      slots[i] = (h & Self.tagMask) | UInt64(UInt32(e) + 1)
    }
    self.slots = slots
  }

  /// The grade of `doc` (raw hash `hash`): `nil` when it is not in the pool.
  @inline(__always)
  func grade(_ doc: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
    let h = ByteKeyTable.mix(hash, owner: 0)
    let tag = h & Self.tagMask
    var i = Int(truncatingIfNeeded: h) & mask
    return slots.withUnsafeBufferPointer { slots in
      while true {
        let s = slots[i]
        if s == 0 { return nil }
        if s & Self.tagMask == tag {
          let j = qrels.judgments[Int(s & 0xFFFF_FFFF) - 1]
          if qrels.docno(of: j, is: doc) { return j.grade }
        }
        i = (i + 1) & mask
      }
    }
  }

  /// Throws at the later line of a docno that appears twice.
  func checkUnique(qrels: Qrels, query: String) throws {
    for s in slots where s != 0 {
      let e = Int(s & 0xFFFF_FFFF) - 1
      let j = qrels.judgments[e]
      let h = hashes[e - first]
      var i = Int(truncatingIfNeeded: h) & mask
      while slots[i] != s {
        let o = Int(slots[i] & 0xFFFF_FFFF) - 1
        let other = qrels.judgments[o]
        if hashes[o - first] == h, other.count == j.count, qrels.docno(of: other) == qrels.docno(of: j) {
          let (first, second) = other.line < j.line ? (other, j) : (j, other)
          throw TrecInputError(
            "document '\(qrels.docno(of: j))' is judged twice for query '\(query)'", file: qrels.file,
            line: Int(second.line), firstLine: Int(first.line))
        }
        i = (i + 1) & mask
      }
    }
  }
}
