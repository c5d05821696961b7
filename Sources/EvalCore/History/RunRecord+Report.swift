import Foundation

extension RunRecord {
  /// The record of a finished run: its summary, gate, verdict, decision and each case's outcome and scores.
  /// `audit` carries who and what (the models that answered, when it names no provider); its chain fields are
  /// set when the record is appended. A run being recorded uses ``RunRecordDraft``, which never holds the
  /// outcomes as an array.
  public init(report: RunReport, id: String, kind: Kind, exitCode: Int32?, audit: AuditRecord) {
    self = RunRecordDraft(report: report, id: id, kind: kind, exitCode: exitCode, audit: audit).header
    cases = report.cases.map { CaseOutcome($0) }
  }

  /// A time-ordered run id, `20261202T121500Z-a1b2c3`: the start time and 24 random bits.
  /// Made without Foundation's formatting, whose first use (its locale) cost a run's end about 1 ms.
  public static func makeID(startedAt: Date, random: UInt64) -> String {
    let stamp = AuditChain.timestamp(startedAt).filter { $0 != "-" && $0 != ":" }.prefix(15)
    let bits = String(random & 0xFF_FFFF, radix: 16)
    return "\(stamp)Z-" + String(repeating: "0", count: 6 - bits.count) + bits
  }
}

extension RunRecord.CaseOutcome {
  /// The outcome of a finished case: its score, its named metrics and latency as means over its samples (a
  /// sample's named metric is the mean of its assertions' scores under that name, as in its `CaseRecord`).
  public init(_ result: CaseResult) {
    var latencies: [Double] = []
    var named: [String: [Double]] = [:]
    for a in result.attempts {
      if a.outcome != .errored && a.outcome != .skipped { latencies.append(a.latencyMs) }
      var sample: [String: [Double]] = [:]
      for assertion in a.assertions { Self.collect(assertion, into: &sample) }
      for (k, v) in sample { named[k, default: []].append(v.reduce(0, +) / Double(v.count)) }
    }
    self.init(
      id: result.id.rawValue, suite: result.suite, outcome: result.outcome, score: result.score,
      scores: named.isEmpty ? nil : named.mapValues { $0.reduce(0, +) / Double($0.count) },
      latencyMs: latencies.isEmpty ? nil : latencies.reduce(0, +) / Double(latencies.count))
  }

  private static func collect(_ a: AssertionResult, into named: inout [String: [Double]]) {
    if let metric = a.metric { named[metric, default: []].append(a.score) }
    for child in a.children ?? [] { collect(child, into: &named) }
  }

  /// Appends the outcome's JSON as ``AuditChain/encoder`` writes it (sorted keys, absent values left out,
  /// non-finite numbers by name).
  func write(to w: inout JSONWriter) {
    var o = JSONWriter.Object()
    o.key("id", &w)
    w.string(id)
    if let latencyMs { o.key("latencyMs", &w); w.doubleOrName(latencyMs) }
    o.key("outcome", &w)
    w.string(outcome.rawValue)
    if let score { o.key("score", &w); w.doubleOrName(score) }
    if let scores { o.key("scores", &w); w.object(scores) }
    o.key("suite", &w)
    w.string(suite)
    o.close(&w)
  }
}
