import Foundation

/// ``AuditChain/verify(_:)`` one record at a time, in append order: it keeps the previous record's hash, never
/// the records. Each record is checked in two steps, so its cases need not be read when its link is already
/// broken: ``link(_:)`` with its header, then ``contents(_:hashedAs:)`` with the hash its contents have
/// (``RecordHasher``); ``accept(_:)`` moves on past an intact one.
public struct ChainVerifier: Sendable {
  /// The hash of the last record accepted ("" before the first).
  public private(set) var previousHash = ""
  /// How many records were accepted as intact.
  public private(set) var count = 0
  /// The last record accepted, without its cases.
  public private(set) var newest: RunRecord?

  /// A verifier at the start of a chain.
  public init() {}

  /// The break the next record makes by its link: its previous hash is not the hash of the record before it.
  public func link(_ header: RunRecord) -> AuditChain.Break? {
    guard header.audit.previousHash != previousHash else { return nil }
    return AuditChain.Break(
      position: count, runID: header.id,
      reason: "its previous hash \(AuditChain.short(header.audit.previousHash)) is not the hash of the record "
        + "before it (\(AuditChain.short(previousHash))): a record was removed, inserted or reordered")
  }

  /// The break the next record makes by its contents: they hash to `actual` (`nil` when they could not be
  /// encoded), not to the hash it records.
  public func contents(_ header: RunRecord, hashedAs actual: String?) -> AuditChain.Break? {
    guard let actual else { return unreadable(header.id, because: "it cannot be encoded") }
    guard actual != header.audit.hash else { return nil }
    return AuditChain.Break(
      position: count, runID: header.id,
      reason: "its contents hash to \(AuditChain.short(actual)), not to the recorded "
        + "\(AuditChain.short(header.audit.hash)): the record was altered")
  }

  /// The next record (run `runID`) is broken because it cannot be read: `reason`.
  public func unreadable(_ runID: String, because reason: String) -> AuditChain.Break {
    AuditChain.Break(position: count, runID: runID, reason: reason)
  }

  /// Moves past the next record, found intact.
  public mutating func accept(_ header: RunRecord) {
    previousHash = header.audit.hash
    count += 1
    var newest = header
    newest.cases = []
    self.newest = newest
  }
}
