import Foundation

/// A run's record on its way into the history: the record without its cases (``header``) and each case's
/// JSON, written as the case is added. A large run's record is never held as an array of outcomes or an
/// encoder tree, its cases are encoded once, and sealing hashes and frames those bytes without encoding them
/// again; beyond a megabyte the case bytes wait in a temporary file (``DraftCases``), so a store writes them
/// in chunks and a record of 1,000,000 cases is never held whole. Every encoding here is byte for byte what
/// ``AuditChain/encoder`` makes of the whole record.
public struct RunRecordDraft: Sendable {
  /// The record without its cases; its audit's chain fields are set by the store once it is
  /// stored (``sealed(after:)``).
  public var header: RunRecord
  /// The cases' JSON, comma-separated, without the list's brackets (beyond a megabyte, in a temporary file).
  private var cases = DraftCases()
  /// How many cases were added.
  public private(set) var count = 0
  /// Each suite's figures over the cases added (pass rate, mean score, latencies), taken as each case is
  /// added: the record's trend points (``suitePoints()``) without reading its cases again.
  private var tallies: [String: RunTally] = [:]
  /// The models that answered each provider, gathered from the cases added until the header is set.
  private var models: [String: Set<String>]?

  /// A draft of `record`, its cases included.
  public init(_ record: RunRecord) {
    var header = record
    header.cases = []
    self.header = header
    for c in record.cases { append(c) }
  }

  /// The record of a finished run (as ``RunRecord/init(report:id:kind:exitCode:audit:)``), its cases read
  /// once: each case's outcome is encoded, and the models that answered are gathered for `audit` when it
  /// names no provider.
  public init(report: RunReport, id: String, kind: RunRecord.Kind, exitCode: Int32?, audit: AuditRecord) {
    self.init(gatheringModels: audit.providers.isEmpty)
    for c in report.cases { add(c) }
    finish(report: report, id: id, kind: kind, exitCode: exitCode, audit: audit)
  }

  /// A draft whose cases come before the rest of its run's report, as a results.json read a case at a time
  /// gives them (``add(_:)`` each, then ``finish(report:id:kind:exitCode:audit:)``), so a run's cases are
  /// never held whole. `gatheringModels`: gather the models that answered, for an audit that names no provider.
  public init(gatheringModels: Bool) {
    header = RunRecord(
      id: "", kind: .imported, startedAt: Date(timeIntervalSince1970: 0), finishedAt: Date(timeIntervalSince1970: 0),
      suites: [], summary: RunSummary([]), gate: .passed, passRate: 0, cases: [],
      audit: AuditRecord(recordedAt: Date(timeIntervalSince1970: 0), toolVersion: ""))
    models = gatheringModels ? [:] : nil
  }

  /// Adds the next case: its outcome, and the models that answered it when they are gathered.
  public mutating func add(_ c: CaseResult) {
    append(RunRecord.CaseOutcome(c))
    if models != nil { models?[c.provider, default: []].formUnion(c.attempts.lazy.compactMap(\.model)) }
  }

  /// Sets the header: the record of `report` (whose cases were added), as
  /// ``RunRecord/init(report:id:kind:exitCode:audit:)`` makes it; the models gathered are the audit's providers
  /// when it names none.
  public mutating func finish(report: RunReport, id: String, kind: RunRecord.Kind, exitCode: Int32?, audit: AuditRecord)
  {
    header = RunRecord(
      id: id, kind: kind, startedAt: report.startedAt, finishedAt: report.finishedAt,
      suites: report.suites.map(\.id), summary: report.summary, gate: report.gate.status,
      passRate: report.gate.passRate, verdict: report.verdict?.verdict.decision.rawValue,
      decision: report.decision?.headline, exitCode: exitCode, cases: [], audit: audit)
    if audit.providers.isEmpty, var models {
      for grader in report.graders ?? [] { models[grader.provider, default: []].formUnion(grader.models) }
      header.audit.providers = models.mapValues { $0.sorted() }
    }
    models = nil
  }

  /// Adds the next case.
  public mutating func append(_ outcome: RunRecord.CaseOutcome) {
    let first = count == 0
    cases.write { w in
      if !first { w.raw(UInt8(ascii: ",")) }
      outcome.write(to: &w)
    }
    tallies[outcome.suite, default: RunTally()].add(outcome)
    count += 1
  }

  /// The point of each of the header's suites (once each, in its order) over the cases added, as
  /// ``SuiteTrend/Point/init(run:suite:)`` makes it of the stored record: the header's run id, its start time
  /// as the record's text keeps it (whole milliseconds), and the same figures to the bit (the cases' numbers
  /// survive the record's text exactly: shortest round-trip digits). A suite with no case has a point of `nil`s.
  /// Mutating only in that each suite's latencies are sorted where they are (not copied to be sorted: 8 MB at
  /// 1,000,000 cases).
  public mutating func suitePoints() -> [(suite: String, point: SuiteTrend.Point)] {
    let startedAt = AuditChain.decodedDate(AuditChain.encodedDate(header.startedAt)) ?? header.startedAt
    var seen = Set<String>()
    var points: [(suite: String, point: SuiteTrend.Point)] = []
    for suite in header.suites where seen.insert(suite).inserted {
      var tally = tallies.removeValue(forKey: suite) ?? RunTally()
      if tally.latencies.contains(where: \.isNaN) {
        // A NaN is not ordered: sorted again, the latencies could come out otherwise. Sorted in a copy, so a
        // second call (or a case added after) sorts them as added, as the stored record's reader does.
        var copy = tally
        points.append((suite, SuiteTrend.Point(runID: header.id, startedAt: startedAt, tally: &copy)))
      } else {
        // Sorting is stable: sorted again, with cases added after or not, they come out as from the record.
        points.append((suite, SuiteTrend.Point(runID: header.id, startedAt: startedAt, tally: &tally)))
      }
      tallies[suite] = tally
    }
    return points
  }

  /// How many of the case bytes are held in memory (the rest are in the temporary file).
  var caseBytesInMemory: Int { cases.writer.bytes.count }

  /// How many bytes the cases' JSON is (the record's text is this and its header).
  public var caseBytes: Int { cases.count }

  /// Calls `body` with the cases' JSON (as in the record's text, between the list's brackets), in order, in
  /// pieces of at most `maxBytes`.
  /// - Throws: when the draft's bytes cannot be read back, or what `body` throws.
  public func forEachCasePiece(maxBytes: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    try cases.forEachPiece(maxBytes: maxBytes, body)
  }

  /// The cases' JSON from byte `offset` on, at most `maxBytes` of it (``forEachCasePiece(maxBytes:_:)`` for an
  /// asynchronous writer: call with the offset after the last piece until it reaches ``caseBytes``).
  /// - Throws: when the draft's bytes cannot be read back.
  public func casePiece(at offset: Int, maxBytes: Int) throws -> Data {
    try cases.piece(at: offset, maxBytes: maxBytes)
  }

  /// The record's JSON with the header as it is (unsealed, for the spool).
  public func encoded() throws -> Data { try encoded(as: header) }

  /// The record's JSON with `sealed` (``sealed(after:)``) as its header: the text a store keeps.
  public func encoded(as sealed: RunRecord) throws -> Data {
    let (head, tail) = try Self.frame(sealed)
    var out = Data(capacity: head.count + cases.count + tail.count)
    out.append(contentsOf: head)
    try cases.forEachPiece { out.append(contentsOf: $0) }
    out.append(contentsOf: tail)
    return out
  }

  /// Writes ``encoded()``'s bytes to `handle`, piece by piece (never joined).
  public func write(to handle: FileHandle) throws {
    let (head, tail) = try Self.frame(header)
    try handle.write(contentsOf: head)
    try cases.forEachPiece { try handle.write(contentsOf: Data($0)) }
    try handle.write(contentsOf: tail)
  }

  /// Hex SHA-256 of ``encoded()``'s bytes, without joining them.
  public func digest() throws -> String { try Self.digest(of: header, cases: cases) }

  static func digest(of header: RunRecord, cases: DraftCases) throws -> String {
    let (head, tail) = try frame(header)
    var digest = AuditChain.Digest()
    digest.update(head)
    try cases.forEachPiece { digest.update($0) }
    digest.update(tail)
    return digest.hex()
  }

  /// The header linked after a record whose hash is `previousHash` ("" for the first), as
  /// ``AuditChain/seal(_:after:)`` seals the whole record: its chain fields set, its hash over the whole
  /// record's canonical bytes. The draft is left as it is (a store sets ``header`` to this once the record is
  /// committed; a draft whose write failed is spooled unsealed).
  public func sealed(after previousHash: String) throws -> RunRecord {
    var sealed = header
    sealed.audit.previousHash = previousHash
    sealed.audit.hash = ""
    sealed.audit.hash = try Self.digest(of: sealed, cases: cases)
    return sealed
  }

  /// The whole record, its cases decoded back (for callers that need every outcome in memory).
  public func record() throws -> RunRecord { try RunRecordReader(try encoded()).record }

  /// `header`'s JSON split where its (empty) case list's contents go: up to and including the top-level
  /// `"cases":[`, and from the closing `]` on (found by parsing: a provider labelled `cases` with no model
  /// writes `"cases":[]` earlier, inside the audit).
  static func frame(_ header: RunRecord) throws -> (head: [UInt8], tail: [UInt8]) {
    var empty = header
    empty.cases = []
    let json = Array(try AuditChain.encoder.encode(empty))
    let list = try RunRecordReader.caseList(in: json)
    return (Array(json[..<(list.lowerBound + 1)]), Array(json[(list.upperBound - 1)...]))
  }
}
