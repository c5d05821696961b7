import Foundation

/// Reads a TREC run (`qid iter docno rank score runid`, at least six fields, later ones ignored; the rank
/// column is ignored) in chunks, and hands each judged query's documents over as soon as the query is
/// complete, so a 10-million-line run is never held whole. Queries the qrels do not judge are counted
/// and skipped. Pure: bytes in, rankings out; reading the file is the caller's job.
///
/// Runs are normally grouped by query. When a query comes back after another one started, the parser
/// cannot have handed it over complete: it throws ``NotGrouped`` and the caller parses again with
/// `grouped: false`, which keeps every query until the end.
public struct TrecRunParser: Sendable {
  /// Thrown in grouped mode when a query's lines are not contiguous.
  public struct NotGrouped: Error {
    /// Creates the signal.
    public init() {}
  }

  let qrels: Qrels
  let file: String
  let float32: Bool
  let grouped: Bool
  /// Keep the first judged query instead of handing it over (it may continue a query of the part of the
  /// file before this one; see ``held``).
  let holdFirst: Bool
  /// The first judged query, when `holdFirst`.
  public private(set) var held: QueryRanking?
  /// The run id (the last line's).
  public var runID: String { String(decoding: runIDBytes, as: UTF8.self) }
  var runIDBytes: [UInt8] = []
  /// Lines read so far.
  public private(set) var line = 0
  /// Distinct query ids in the run that the qrels do not judge.
  public private(set) var unjudgedQueries: Set<[UInt8]> = []
  var current: QueryRanking?
  var open: [Int32: QueryRanking] = [:]
  var delivered: [Bool]
  var lastQID: [UInt8] = []
  var lastQuery: Int32? = nil
  var judged: JudgmentLookup?
  var lookups: [Int32: JudgmentLookup] = [:]
  var fields: [Range<Int>] = []

  /// Creates a parser.
  /// - Parameters:
  ///   - float32: round scores to float32 first, as trec_eval 9 and pytrec_eval do.
  ///   - grouped: hand each query over when the next one starts.
  ///   - holdFirst: keep the first judged query back (see ``held``), for a part of a file split in two.
  public init(qrels: Qrels, file: String, float32: Bool = false, grouped: Bool = true, holdFirst: Bool = false) {
    self.qrels = qrels
    self.file = file
    self.float32 = float32
    self.grouped = grouped
    self.holdFirst = holdFirst && grouped
    delivered = Array(repeating: false, count: qrels.queries.count)
  }

  /// Parses the complete lines of `chunk` and returns how many bytes it used; the rest (a partial last
  /// line) must come again at the start of the next chunk. With `final`, the last line needs no newline.
  /// - Throws: ``TrecInputError`` for a malformed line; ``NotGrouped``.
  public mutating func consume(
    _ p: UnsafeBufferPointer<UInt8>, final: Bool, deliver: (QueryRanking) throws -> Void
  ) throws -> Int {
    try TrecText.forEachLine(p, final: final) { start, end in
      line += 1
      try parseLine(p, start, end, deliver: deliver)
    }
  }

  @inline(__always)
  mutating func parseLine(
    _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, deliver: (QueryRanking) throws -> Void
  ) throws {
    guard let n = TrecText.fields(p, from: start, to: end, into: &fields, max: 6) else { return }
    guard n >= 6 else {
      throw TrecInputError(
        "a run line has 6 fields (qid iter docno rank score runid), found \(n)", file: file, line: line)
    }
    let qid = UnsafeBufferPointer(rebasing: p[fields[0]])
    let query: Int32?
    if TrecRunParser.same(qid, lastQID) {
      query = lastQuery  // the query of the line before (nil: not judged)
    } else {
      query = qrels.query(qid, hash: ByteKeyTable.hash(qid))
      lastQID = Array(qid)
      lastQuery = query
      if let q = query {
        try switchTo(q, deliver: deliver)
        if grouped {
          judged = qrels.lookup(query: q)
        } else {
          if lookups[q] == nil { lookups[q] = qrels.lookup(query: q) }
          judged = lookups[q]
        }
      } else {
        unjudgedQueries.insert(lastQID)
      }
    }
    guard let scoreValue = TrecText.score(p, fields[4]) else {
      throw TrecInputError(
        "score '\(TrecText.string(p, fields[4]))' is not a number", file: file, line: line,
        column: fields[4].lowerBound - start + 1)
    }
    let run = UnsafeBufferPointer(rebasing: p[fields[5]])
    if !TrecRunParser.same(run, runIDBytes) { runIDBytes = Array(run) }
    guard let query else { return }
    let doc = UnsafeBufferPointer(rebasing: p[fields[2]])
    let hash = ByteKeyTable.hash(doc)
    let grade = judged?.grade(doc, hash: hash)
    let score = float32 ? Double(Float(scoreValue)) : scoreValue
    if grouped {
      current?.append(doc: doc, hash: hash, score: score, grade: grade, line: line)
    } else {
      open[query, default: QueryRanking(query: query)].append(
        doc: doc, hash: hash, score: score, grade: grade, line: line)
    }
  }

  mutating func switchTo(_ query: Int32, deliver: (QueryRanking) throws -> Void) throws {
    guard grouped else { return }
    if let done = current {
      delivered[Int(done.query)] = true
      current = nil
      if holdFirst, held == nil { held = done } else { try deliver(done) }
    }
    if delivered[Int(query)] { throw NotGrouped() }
    current = QueryRanking(query: query)
  }

  @inline(__always) static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return b.withUnsafeBufferPointer { b in
      guard let x = a.baseAddress, let y = b.baseAddress else { return a.isEmpty }
      return memcmp(x, y, a.count) == 0
    }
  }

  /// Hands over the queries still open, in qrels order; with `keepLast`, returns the last query of a
  /// grouped run instead (it may go on in the next part of a split file).
  @discardableResult
  public mutating func finish(keepLast: Bool = false, deliver: (QueryRanking) throws -> Void) throws -> QueryRanking? {
    if let done = current {
      delivered[Int(done.query)] = true
      current = nil
      if keepLast { return done }
      if holdFirst, held == nil { held = done } else { try deliver(done) }
    }
    for q in open.keys.sorted() {
      if let ranking = open.removeValue(forKey: q) {
        delivered[Int(q)] = true
        try deliver(ranking)
      }
    }
    return nil
  }

  /// The judged queries this parser has seen.
  public var queriesSeen: [Int32] { delivered.indices.filter { delivered[$0] }.map(Int32.init) }

  /// Whether the run ranked query `index` of the qrels at all.
  public func ranked(_ index: Int) -> Bool { delivered[index] }
}
