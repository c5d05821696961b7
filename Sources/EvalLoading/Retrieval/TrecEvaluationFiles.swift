import EvalCore
import Foundation
import Synchronization

/// Evaluates a TREC run file against a qrels file. Both are read in 8 MiB chunks, and a large file in two
/// halves at once (one per core, split at a line); each run query is evaluated as soon as it is complete,
/// so memory stays near the qrels plus the largest query, never the run.
public enum TrecEvaluationFiles {
  /// What to compute and how (the flags of `evalgate retrieval eval`).
  public struct Options: Sendable {
    /// The measures, in output order.
    public var measures: [RetrievalMeasure] = RetrievalMeasure.official
    /// `-l`: grades at or above are relevant.
    public var relevanceLevel = 1
    /// `-M`: documents kept per query.
    public var depth: Int?
    /// Which queries count.
    public var querySet: RetrievalEvaluation.QuerySet = .all
    /// Round scores to float32 before ranking (trec_eval 9, pytrec_eval).
    public var float32 = false
    /// trec_eval 10 without `-c`: a judged query without a ranking is an error.
    public var requireEveryQuery = false
    /// Bytes read at a time (a line longer than this still works).
    public var chunkSize = 8 << 20
    /// Files at least this large are read in two halves at once.
    public var splitAbove = 16 << 20

    /// The defaults: trec_eval's official measures, every judged query counted, double scores.
    public init() {}
  }

  /// Reads both files and evaluates.
  /// - Throws: ``Diagnostic`` with `file:line:column` for malformed input, or naming the file it cannot read.
  public static func evaluate(qrels qrelsPath: String, run runPath: String, options: Options) throws
    -> RetrievalEvaluation
  {
    do {
      return try evaluate(qrels: try readQrels(qrelsPath, options: options), run: runPath, options: options)
    } catch let e as TrecInputError {
      throw e.diagnostic
    }
  }

  /// Evaluates a run file against judgments already read.
  /// - Throws: ``Diagnostic`` for a malformed run.
  public static func evaluate(qrels: Qrels, run runPath: String, options: Options) throws -> RetrievalEvaluation {
    do {
      let (rows, parser) = try evaluateRun(runPath, qrels: qrels, options: options)
      if options.requireEveryQuery, let missing = qrels.queries.indices.first(where: { !parser.ranked.contains($0) }) {
        throw Diagnostic(
          "the run has no ranking for query '\(qrels.queries[missing].id)' of the qrels (trec_eval 10 stops here; "
            + "without --compat 10, or with -c, it counts as 0)", at: SourceLocation(file: runPath))
      }
      return RetrievalEvaluation(
        measures: options.measures, runID: parser.runID, evaluated: rows, qrels: qrels, querySet: options.querySet,
        relevanceLevel: options.relevanceLevel, unjudgedQueries: parser.unjudgedQueries)
    } catch let e as TrecInputError {
      throw e.diagnostic
    }
  }

  /// What the run's parsers found besides the rows.
  struct RunFacts {
    var runID: String
    var unjudgedQueries: Int
    var ranked: Set<Int>
  }

  static func readQrels(_ path: String, options: Options) throws -> Qrels {
    let parts = try split(path, what: "qrels", above: options.splitAbove)
    let size = parts.last.map { $0.upperBound == Int.max ? 0 : $0.upperBound } ?? 0
    if parts.count == 1 {
      var builder = Qrels.Builder(file: path, expectedBytes: size)
      try stream(path, parts[0], what: "qrels", chunkSize: options.chunkSize) { try builder.consume($0, final: $1) }
      return try builder.finish()
    }
    let (first, second) = inParallel(
      {
        var builder = Qrels.Builder(file: path, expectedBytes: size)
        try stream(path, parts[0], what: "qrels", chunkSize: options.chunkSize) { try builder.consume($0, final: $1) }
        return builder
      },
      {
        var builder = Qrels.Builder(file: path, expectedBytes: parts[1].count)
        try stream(path, parts[1], what: "qrels", chunkSize: options.chunkSize) { try builder.consume($0, final: $1) }
        return builder
      })
    // `consume`: the results must not keep a second reference to the builders' storage, or appending
    // would copy it.
    var builder = try (consume first).get()
    do {
      builder.append(try (consume second).get())
    } catch let e as TrecInputError {
      throw e.shifted(by: builder.lines)
    }
    return try builder.finish()
  }

  /// One part of a run, parsed and evaluated.
  struct RunPart: Sendable {
    var rows: [QueryEvaluator.Row] = []
    var parser: TrecRunParser
    /// The last query of the first part, kept back because the second part may go on with it.
    var last: QueryRanking?
  }

  static func evaluateRun(_ path: String, qrels: Qrels, options: Options) throws -> ([QueryEvaluator.Row], RunFacts) {
    let parts = try split(path, what: "run", above: options.splitAbove)
    // A pipe cannot be read twice: keep every query from the start.
    if parts.first?.upperBound == Int.max {
      return try sequentialRun(path, qrels: qrels, options: options, grouped: false)
    }
    do {
      if parts.count == 1 { return try sequentialRun(path, qrels: qrels, options: options, grouped: true) }
      return try splitRun(path, parts: parts, qrels: qrels, options: options)
    } catch is TrecRunParser.NotGrouped {
      // The run is not grouped by query: keep every query until the end of the file.
      return try sequentialRun(path, qrels: qrels, options: options, grouped: false)
    }
  }

  static func parsePart(
    _ path: String, _ range: Range<Int>, qrels: Qrels, options: Options, grouped: Bool, holdFirst: Bool,
    keepLast: Bool
  ) throws -> RunPart {
    var part = RunPart(
      parser: TrecRunParser(
        qrels: qrels, file: path, float32: options.float32, grouped: grouped, holdFirst: holdFirst))
    var evaluator = QueryEvaluator(
      measures: options.measures, relevanceLevel: options.relevanceLevel, depth: options.depth)
    var rows: [QueryEvaluator.Row] = []
    let deliver: (QueryRanking) throws -> Void = { rows.append(try evaluator.evaluate($0, qrels: qrels, file: path)) }
    try stream(path, range, what: "run", chunkSize: options.chunkSize) {
      try part.parser.consume($0, final: $1, deliver: deliver)
    }
    part.last = try part.parser.finish(keepLast: keepLast, deliver: deliver)
    part.rows = rows
    return part
  }

  static func sequentialRun(_ path: String, qrels: Qrels, options: Options, grouped: Bool) throws -> (
    [QueryEvaluator.Row], RunFacts
  ) {
    let whole = try split(path, what: "run", above: .max)[0]
    let part = try parsePart(
      path, whole, qrels: qrels, options: options, grouped: grouped, holdFirst: false, keepLast: false)
    return (part.rows, facts(part.parser))
  }

  static func facts(_ parsers: TrecRunParser...) -> RunFacts {
    RunFacts(
      runID: parsers.last { !$0.runID.isEmpty }?.runID ?? "",
      unjudgedQueries: parsers.reduce(into: Set<[UInt8]>()) { $0.formUnion($1.unjudgedQueries) }.count,
      ranked: Set(parsers.flatMap { $0.queriesSeen.map(Int.init) }))
  }

  /// Both halves at once; the query running across the split is joined and evaluated here.
  static func splitRun(_ path: String, parts: [Range<Int>], qrels: Qrels, options: Options) throws -> (
    [QueryEvaluator.Row], RunFacts
  ) {
    let (a, b) = inParallel(
      {
        try parsePart(
          path, parts[0], qrels: qrels, options: options, grouped: true, holdFirst: false, keepLast: true)
      },
      {
        try parsePart(
          path, parts[1], qrels: qrels, options: options, grouped: true, holdFirst: true, keepLast: false)
      })
    let first = try a.get()
    let lineOffset = first.parser.line
    let second: RunPart
    do {
      second = try b.get()
    } catch let e as TrecInputError {
      throw e.shifted(by: lineOffset)
    }
    var rows = first.rows
    var evaluator = QueryEvaluator(
      measures: options.measures, relevanceLevel: options.relevanceLevel, depth: options.depth)
    var boundary = first.last
    var held = second.parser.held
    held?.shiftLines(by: lineOffset)
    if var joined = boundary, let next = held, joined.query == next.query {
      joined.append(next, lineOffset: 0)
      boundary = joined
      held = nil
    }
    // A query in both halves other than across the split: the run is not grouped after all.
    let seenFirst = Set(first.parser.queriesSeen)
    let seenSecond = Set(second.parser.queriesSeen).subtracting(boundary.map { [$0.query] } ?? [])
    if !seenFirst.isDisjoint(with: seenSecond) { throw TrecRunParser.NotGrouped() }
    for ranking in [boundary, held].compactMap({ $0 }) {
      rows.append(try evaluator.evaluate(ranking, qrels: qrels, file: path))
    }
    rows += second.rows
    return (rows, facts(first.parser, second.parser))
  }

  /// The file's byte ranges: one, or two split after a newline near the middle when the file is larger
  /// than `above`.
  static func split(_ path: String, what: String, above: Int) throws -> [Range<Int>] {
    // stat(2) follows symbolic links (FileManager's attributes describe the link itself).
    var info = stat()
    guard stat(path, &info) == 0 else { throw Diagnostic("cannot read \(what) file '\(path)'") }
    // A pipe (`<(zcat run.gz)`) has no size: read it front to back, in one part.
    guard (info.st_mode & S_IFMT) == S_IFREG else { return [0..<Int.max] }
    let size = Int(info.st_size)
    guard size > above, let handle = FileHandle(forReadingAtPath: path) else { return [0..<size] }
    defer { try? handle.close() }
    var window = [UInt8](repeating: 0, count: 1 << 16)
    var at = size / 2
    while at < size {
      let n = window.withUnsafeMutableBytes { raw in
        raw.baseAddress.map { pread(handle.fileDescriptor, $0, raw.count, off_t(at)) } ?? -1
      }
      guard n > 0 else { break }
      if let nl = window[..<n].firstIndex(of: 0x0A) { return [0..<(at + nl + 1), (at + nl + 1)..<size] }
      at += n
    }
    return [0..<size]
  }

  /// The longest line a qrels or run file may have (real ones have lines of tens of bytes): a longer one is a
  /// located error, not a buffer that grows until memory runs out (`/dev/zero`, a binary file).
  static let maxLineBytes = 1 << 20

  /// Feeds bytes `range` of `path` to `consume` in chunks: each call gets the bytes not yet used and whether
  /// the range has ended, and returns how many bytes it used (whole lines); the rest comes again.
  /// - Throws: ``Diagnostic`` for an unreadable file or a line longer than ``maxLineBytes``.
  static func stream(
    _ path: String, _ range: Range<Int>, what: String, chunkSize: Int,
    _ consume: (UnsafeBufferPointer<UInt8>, Bool) throws -> Int
  ) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw Diagnostic("cannot read \(what) file '\(path)'")
    }
    defer { try? handle.close() }
    var buffer = [UInt8](repeating: 0, count: max(min(chunkSize, range.count), 1))
    var filled = 0
    var offset = range.lowerBound
    let sequential = range.upperBound == Int.max  // a pipe: read(2), which needs no offset
    var line = 1  // lines consumed so far, for a located error
    while true {
      if filled == buffer.count {
        // A line longer than a chunk: grow, up to the limit.
        guard filled < maxLineBytes else {
          let problem = "a line longer than \(maxLineBytes >> 20) MiB; is this a \(what) file?"
          guard range.lowerBound == 0 else { throw Diagnostic("\(path), byte \(offset - filled): \(problem)") }
          throw Diagnostic(problem, at: SourceLocation(file: path, line: line, column: 1))
        }
        buffer += [UInt8](repeating: 0, count: min(buffer.count, maxLineBytes - filled + 1))
      }
      let want = min(buffer.count - filled, range.upperBound - offset)
      let n =
        want == 0
        ? 0
        : buffer.withUnsafeMutableBytes { raw in
          raw.baseAddress.map {
            sequential
              ? read(handle.fileDescriptor, $0 + filled, want)
              : pread(handle.fileDescriptor, $0 + filled, want, off_t(offset))
          } ?? -1
        }
      if n < 0 {
        if errno == EINTR { continue }
        throw Diagnostic("cannot read \(what) file '\(path)': \(String(cString: strerror(errno)))")
      }
      filled += n
      offset += n
      let final = n == 0
      let used = try buffer.withUnsafeBufferPointer { try consume(UnsafeBufferPointer(rebasing: $0[..<filled]), final) }
      if final { return }
      if used > 0 {
        line += buffer[..<used].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        buffer.withUnsafeMutableBytes { raw in
          if let base = raw.baseAddress { _ = memmove(base, base + used, filled - used) }
        }
        filled -= used
      }
    }
  }

  /// Runs `a` and `b` on two threads and waits for both.
  static func inParallel<A: Sendable, B: Sendable>(
    _ a: @Sendable () throws -> A, _ b: @Sendable () throws -> B
  ) -> (Result<A, any Error>, Result<B, any Error>) {
    let results = Mutex<(Result<A, any Error>?, Result<B, any Error>?)>((nil, nil))
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      if i == 0 {
        let r = Result { try a() }
        results.withLock { $0.0 = r }
      } else {
        let r = Result { try b() }
        results.withLock { $0.1 = r }
      }
    }
    return results.withLock { r in
      (r.0 ?? .failure(CancellationError()), r.1 ?? .failure(CancellationError()))
    }
  }
}
