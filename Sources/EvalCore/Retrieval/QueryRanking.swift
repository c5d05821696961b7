import Foundation

/// The documents a run retrieved for one judged query, as parsed: each with its score, its grade from
/// the qrels (`nil` grade: not in the pool) and its docno bytes, kept for the tie rule.
public struct QueryRanking: Sendable {
  /// One retrieved document.
  struct Doc: Sendable {
    var score: Double
    var hash: UInt64
    var start: Int32
    var count: Int32
    /// The qrels grade; ``QueryRanking/notInPool`` when the qrels do not list it.
    var grade: Int32
    var line: Int32
  }

  /// Grade of a document the qrels do not list.
  static let notInPool = Int32.min

  /// Index of the query in the qrels.
  public internal(set) var query: Int32
  var docs: [Doc] = []
  var arena: [UInt8] = []

  init(query: Int32) { self.query = query }

  mutating func append(
    doc: UnsafeBufferPointer<UInt8>, hash: UInt64, score: Double, grade: Int32?, line: Int
  ) {
    docs.append(
      Doc(
        score: score, hash: hash, start: Int32(arena.count), count: Int32(doc.count), grade: grade ?? Self.notInPool,
        line: Int32(truncatingIfNeeded: line)))
    arena.append(contentsOf: doc)
  }

  /// Appends the documents of `other` (the same query, from the next part of a split file), whose lines
  /// count from `lineOffset`.
  public mutating func append(_ other: QueryRanking, lineOffset: Int) {
    let base = Int32(arena.count)
    docs += other.docs.map { d in
      var d = d
      d.start += base
      d.line += Int32(truncatingIfNeeded: lineOffset)
      return d
    }
    arena += other.arena
  }

  /// Its documents' lines, moved by `lineOffset` (a later part of a split file).
  public mutating func shiftLines(by lineOffset: Int) {
    for i in docs.indices { docs[i].line += Int32(truncatingIfNeeded: lineOffset) }
  }

  /// The docno of `doc`.
  func docno(_ doc: Doc) -> String {
    arena.withUnsafeBufferPointer {
      String(decoding: UnsafeBufferPointer(rebasing: $0[Int(doc.start)..<Int(doc.start + doc.count)]), as: UTF8.self)
    }
  }
}
