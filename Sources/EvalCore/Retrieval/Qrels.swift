/// Relevance judgments (TREC qrels: `qid iter docno rel`, exactly four fields, integer grades; a negative
/// grade marks a document in the pool but not judged). Parsed from bytes; the file is read at the edge.
public struct Qrels: Sendable {
  /// One query's judgments.
  public struct Query: Sendable {
    /// The query id.
    public var id: String
    /// Every judged grade ≥ 0, highest first (the ideal ranking of nDCG).
    public var grades: [Int32]
  }

  /// The queries, in file order of their first judgment.
  public private(set) var queries: [Query] = []
  /// The file the judgments came from (for messages).
  public var file: String
  var queryIndex = ByteKeyTable(capacity: 64)
  var judgments = ByteKeyTable(capacity: 1024)

  /// Parses qrels text.
  /// - Throws: ``Diagnostic`` at `file:line:column` for a malformed line or a docno judged twice for a query.
  public init(bytes: UnsafeBufferPointer<UInt8>, file: String) throws {
    self.file = file
    var fields: [Range<Int>] = []
    var lineNumber = 0
    var lineStart = 0
    var grades: [[Int32]] = []
    while lineStart < bytes.count {
      lineNumber += 1
      var lineEnd = lineStart
      while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
      defer { lineStart = lineEnd + 1 }
      guard let n = TrecText.fields(bytes, from: lineStart, to: lineEnd, into: &fields, max: 4) else { continue }
      func fail(_ message: String, field: Int? = nil) -> Diagnostic {
        let column = field.map { fields[$0].lowerBound - lineStart + 1 } ?? 1
        return Diagnostic(message, at: SourceLocation(file: file, line: lineNumber, column: column))
      }
      guard n == 4 else {
        throw fail("a qrels line has 4 fields (qid iter docno rel), found \(n)", field: n > 4 ? nil : nil)
      }
      guard let grade = TrecText.int(bytes, fields[3]), grade >= Int(Int32.min) + 1, grade <= Int(Int32.max) else {
        throw fail("relevance '\(TrecText.string(bytes, fields[3]))' is not an integer", field: 3)
      }
      let qid = UnsafeBufferPointer(rebasing: bytes[fields[0]])
      let q = queryIndex.insert(
        owner: 0, key: qid, hash: ByteKeyTable.hash(qid), value: Int32(queries.count))
      if q.inserted {
        queries.append(Query(id: TrecText.string(bytes, fields[0]), grades: []))
        grades.append([])
      }
      let query = queryIndex.value(at: q.index)
      let doc = UnsafeBufferPointer(rebasing: bytes[fields[2]])
      let added = judgments.insert(owner: query, key: doc, hash: ByteKeyTable.hash(doc), value: Int32(grade))
      guard added.inserted else {
        throw fail(
          "document '\(TrecText.string(bytes, fields[2]))' is judged twice for query '\(queries[Int(query)].id)'",
          field: 2)
      }
      if grade >= 0 { grades[Int(query)].append(Int32(grade)) }
    }
    for i in queries.indices { queries[i].grades = grades[i].sorted(by: >) }
  }

  /// The index of query `id` (its bytes), or `nil` when it has no judgments.
  func query(_ id: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
    queryIndex.find(owner: 0, key: id, hash: hash).map { queryIndex.value(at: $0) }
  }

  /// The grade of `doc` in query `query`: `nil` when it is not in the pool.
  func grade(query: Int32, doc: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
    judgments.find(owner: query, key: doc, hash: hash).map { judgments.value(at: $0) }
  }
}

extension Qrels {
  /// Parses qrels text held in an array.
  public init(bytes: [UInt8], file: String) throws {
    self = try bytes.withUnsafeBufferPointer { try Qrels(bytes: $0, file: file) }
  }
}
