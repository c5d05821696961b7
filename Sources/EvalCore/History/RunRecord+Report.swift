import Foundation

extension RunRecord {
  /// The record of a finished run: its summary, gate, verdict, decision and each case's outcome and scores.
  /// `audit` carries who and what; its chain fields are set when the record is appended.
  public init(report: RunReport, id: String, kind: Kind, exitCode: Int32?, audit: AuditRecord) {
    var audit = audit
    if audit.providers.isEmpty { audit.providers = Self.answeringModels(report) }
    self.init(
      id: id, kind: kind, startedAt: report.startedAt, finishedAt: report.finishedAt,
      suites: report.suites.map(\.id), summary: report.summary, gate: report.gate.status,
      passRate: report.gate.passRate, verdict: report.verdict?.verdict.decision.rawValue,
      decision: report.decision?.headline, exitCode: exitCode,
      cases: report.cases.map { CaseOutcome($0) }, audit: audit)
  }

  /// The providers of a run by label, each with the models that answered it (sorted), graders included.
  public static func answeringModels(_ report: RunReport) -> [String: [String]] {
    var models: [String: Set<String>] = [:]
    for c in report.cases {
      models[c.provider, default: []].formUnion(c.attempts.compactMap(\.model))
    }
    for grader in report.graders ?? [] { models[grader.provider, default: []].formUnion(grader.models) }
    return models.mapValues { $0.sorted() }
  }

  /// A time-ordered run id, `20261202T121500Z-a1b2c3`: the start time and 24 random bits.
  public static func makeID(startedAt: Date, random: UInt64) -> String {
    let stamp = AuditChain.timestamp(startedAt).replacingOccurrences(of: "-", with: "")
      .replacingOccurrences(of: ":", with: "").prefix(15)
    return "\(stamp)Z-" + String(format: "%06x", Int(random & 0xFF_FFFF))
  }
}

extension RunRecord.CaseOutcome {
  /// The outcome of a finished case: its score, its named metrics and latency as means over its samples.
  public init(_ result: CaseResult) {
    let record = CaseRecord(result)
    let latencies = record.samples.compactMap(\.latencyMs)
    var named: [String: [Double]] = [:]
    for sample in record.samples { for (k, v) in sample.scores ?? [:] { named[k, default: []].append(v) } }
    self.init(
      id: result.id.rawValue, suite: result.suite, outcome: result.outcome, score: result.score,
      scores: named.isEmpty ? nil : named.mapValues { $0.reduce(0, +) / Double($0.count) },
      latencyMs: latencies.isEmpty ? nil : latencies.reduce(0, +) / Double(latencies.count))
  }
}
