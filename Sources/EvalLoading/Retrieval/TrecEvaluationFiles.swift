import EvalCore
import Foundation

/// Evaluates a TREC run file against a qrels file: the qrels read whole, the run streamed in 8 MiB chunks
/// and each query evaluated as soon as it is complete, so memory stays near the largest query, not the file.
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
    /// Bytes read from the run at a time (a line longer than this still works).
    public var chunkSize = 8 << 20

    /// The defaults: trec_eval's official measures, every judged query counted, double scores.
    public init() {}
  }

  /// Reads both files and evaluates.
  /// - Throws: ``Diagnostic`` with `file:line:column` for malformed input, or naming the file it cannot read.
  public static func evaluate(qrels qrelsPath: String, run runPath: String, options: Options) throws
    -> RetrievalEvaluation
  {
    guard let qrelsData = FileManager.default.contents(atPath: qrelsPath) else {
      throw Diagnostic("cannot read qrels file '\(qrelsPath)'")
    }
    let qrels = try Qrels(bytes: Array(qrelsData), file: qrelsPath)
    do {
      return try evaluate(qrels: qrels, run: runPath, options: options, grouped: true)
    } catch is TrecRunParser.NotGrouped {
      return try evaluate(qrels: qrels, run: runPath, options: options, grouped: false)
    }
  }

  static func evaluate(qrels: Qrels, run path: String, options: Options, grouped: Bool) throws
    -> RetrievalEvaluation
  {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw Diagnostic("cannot read run file '\(path)'") }
    defer { try? handle.close() }
    var parser = TrecRunParser(qrels: qrels, file: path, float32: options.float32, grouped: grouped)
    var evaluator = QueryEvaluator(
      measures: options.measures, relevanceLevel: options.relevanceLevel, depth: options.depth)
    var rows: [QueryEvaluator.Row] = []
    let deliver: (QueryRanking) throws -> Void = { rows.append(try evaluator.evaluate($0, qrels: qrels, file: path)) }
    var buffer = [UInt8](repeating: 0, count: max(options.chunkSize, 1))
    var filled = 0
    let fd = handle.fileDescriptor
    while true {
      if filled == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }  // a line longer than a chunk
      let n = buffer.withUnsafeMutableBytes { raw in
        raw.baseAddress.map { read(fd, $0 + filled, raw.count - filled) } ?? 0
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw Diagnostic("cannot read run file '\(path)': \(String(cString: strerror(errno)))")
      }
      filled += n
      let final = n == 0
      let used = try buffer.withUnsafeBufferPointer {
        try parser.consume(UnsafeBufferPointer(rebasing: $0[..<filled]), final: final, deliver: deliver)
      }
      if final { break }
      if used > 0 {
        buffer.withUnsafeMutableBytes { raw in
          if let base = raw.baseAddress { _ = memmove(base, base + used, filled - used) }
        }
        filled -= used
      }
    }
    try parser.finish(deliver: deliver)
    if options.requireEveryQuery, let missing = qrels.queries.indices.first(where: { !parser.ranked($0) }) {
      throw Diagnostic(
        "the run has no ranking for query '\(qrels.queries[missing].id)' of the qrels (trec_eval 10 stops here; "
          + "without --compat 10, or with -c, it counts as 0)", at: SourceLocation(file: path))
    }
    return RetrievalEvaluation(
      measures: options.measures, runID: parser.runID, evaluated: rows, qrels: qrels, querySet: options.querySet,
      relevanceLevel: options.relevanceLevel, unjudgedQueries: parser.unjudgedQueries.count)
  }
}
