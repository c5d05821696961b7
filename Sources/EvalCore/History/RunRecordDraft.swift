import Foundation

/// A run's record on its way into the history: the record without its cases (``header``) and each case's
/// JSON, written as the case is added. A large run's record is never held as an array of outcomes or an
/// encoder tree, its cases are encoded once, and sealing hashes and frames those bytes without encoding them
/// again. Every encoding here is byte for byte what ``AuditChain/encoder`` makes of the whole record.
public struct RunRecordDraft: Sendable {
  /// The record without its cases; its audit's chain fields are set by ``seal(after:)``.
  public var header: RunRecord
  /// The cases' JSON, comma-separated, without the list's brackets.
  private var cases = JSONWriter()
  /// How many cases were added.
  public private(set) var count = 0

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
    self.init(
      RunRecord(
        id: id, kind: kind, startedAt: report.startedAt, finishedAt: report.finishedAt,
        suites: report.suites.map(\.id), summary: report.summary, gate: report.gate.status,
        passRate: report.gate.passRate, verdict: report.verdict?.verdict.decision.rawValue,
        decision: report.decision?.headline, exitCode: exitCode, cases: [], audit: audit))
    let gather = audit.providers.isEmpty
    var models: [String: Set<String>] = [:]
    for c in report.cases {
      append(RunRecord.CaseOutcome(c))
      if gather { models[c.provider, default: []].formUnion(c.attempts.lazy.compactMap(\.model)) }
    }
    if gather {
      for grader in report.graders ?? [] { models[grader.provider, default: []].formUnion(grader.models) }
      header.audit.providers = models.mapValues { $0.sorted() }
    }
  }

  /// Adds the next case.
  public mutating func append(_ outcome: RunRecord.CaseOutcome) {
    if count > 0 { cases.raw(UInt8(ascii: ",")) }
    outcome.write(to: &cases)
    count += 1
  }

  /// The record's JSON with the header as it is (unsealed, for the spool).
  public func encoded() throws -> Data {
    let (head, tail) = try Self.frame(header)
    var out = Data(capacity: head.count + cases.bytes.count + tail.count)
    out.append(contentsOf: head)
    out.append(contentsOf: cases.bytes)
    out.append(contentsOf: tail)
    return out
  }

  /// Hex SHA-256 of ``encoded()``'s bytes, without joining them.
  public func digest() throws -> String {
    let (head, tail) = try Self.frame(header)
    var digest = AuditChain.Digest()
    digest.update(head)
    digest.update(cases.bytes)
    digest.update(tail)
    return digest.hex()
  }

  /// Links the record after a record whose hash is `previousHash` ("" for the first), as
  /// ``AuditChain/seal(_:after:)`` does, and returns its stored text. The case bytes move into the text (a
  /// large record is held once, not twice): the draft is spent until ``restore(_:)`` gets the text back.
  /// - Returns: the sealed header (no cases) and the record's JSON.
  public mutating func seal(after previousHash: String) throws -> (record: RunRecord, text: String) {
    header.audit.previousHash = previousHash
    header.audit.hash = ""
    header.audit.hash = try digest()
    let (head, tail) = try Self.frame(header)
    var body = JSONWriter()
    swap(&body, &cases)
    let text = String(unsafeUninitializedCapacity: head.count + body.bytes.count + tail.count) { buffer in
      var at = buffer.initialize(fromContentsOf: head)
      at += UnsafeMutableBufferPointer(rebasing: buffer[at...]).initialize(fromContentsOf: body.bytes)
      at += UnsafeMutableBufferPointer(rebasing: buffer[at...]).initialize(fromContentsOf: tail)
      return at
    }
    return (header, text)
  }

  /// Takes back the cases from the text ``seal(after:)`` gave (when storing it failed and the record is to be
  /// kept elsewhere), and unseals the header (its chain fields empty again, as a record is before it is
  /// appended).
  public mutating func restore(_ sealed: (record: RunRecord, text: String)) throws {
    let (head, tail) = try Self.frame(sealed.record)
    let bytes = Array(sealed.text.utf8)
    cases = JSONWriter()
    cases.raw(bytes[head.count..<(bytes.count - tail.count)])
    header = sealed.record
    header.audit.previousHash = ""
    header.audit.hash = ""
  }

  /// The whole record, its cases decoded back (for callers that need every outcome in memory).
  public func record() throws -> RunRecord { try RunRecordReader(try encoded()).record }

  /// `header`'s JSON split where its (empty) case list's contents go: up to and including `"cases":[`, and
  /// from the closing `]` on.
  static func frame(_ header: RunRecord) throws -> (head: [UInt8], tail: [UInt8]) {
    var empty = header
    empty.cases = []
    let json = Array(try AuditChain.encoder.encode(empty))
    // Sorted compact keys: `"cases":[]` appears once, as the record's own key (quotes inside strings are
    // escaped, and no nested value has a `cases` key).
    let key = Array(#""cases":[]"#.utf8)
    guard let at = json.firstRange(of: key) else {
      throw EncodingError.invalidValue(header, .init(codingPath: [], debugDescription: "no cases key in the record"))
    }
    return (Array(json[..<(at.upperBound - 1)]), Array(json[(at.upperBound - 1)...]))
  }
}
