import Foundation

extension CaseResult {
  /// The case as the end of a run needs it once its every report piece (results.json line, JUnit test
  /// case, report.html row) is written: identity, outcome, scores, timings, tokens, cost, provider errors and
  /// the named metrics' scores, without the vars, messages, metadata, outputs and assertion reasons. A case of
  /// a large run that passed, failed or errored is held this way (about a tenth of the memory), and read back
  /// whole from its results.json line when a report must render it again or list its reasons
  /// (``CaseList/failures``).
  ///
  /// What the summary, the provider stats, the gate (an unreachable endpoint, the first error), the baseline
  /// records and the derived metrics read of a case is unchanged: provider errors are kept whole,
  /// named-metric assertions too (flattened, without their reasons), the `must-pass` tag too.
  public func compacted() -> CaseResult {
    var c = self
    c.vars = [:]
    c.metadata = [:]
    c.messages = []
    c.testID = nil
    c.tags = tags.filter { $0 == CaseRecord.mustPassTag }
    for i in c.attempts.indices {
      c.attempts[i].output = nil
      c.attempts[i].finishReason = nil
      c.attempts[i].contextIDs = nil
      c.attempts[i].assertions = CaseResult.metricScores(c.attempts[i].assertions)
    }
    return c
  }

  /// Every assertion result that names a metric, at any depth, flattened and without its reason.
  static func metricScores(_ results: [AssertionResult]) -> [AssertionResult] {
    var out: [AssertionResult] = []
    func visit(_ r: AssertionResult) {
      if r.metric != nil {
        var kept = r
        kept.reason = ""
        kept.line = nil
        kept.children = nil
        out.append(kept)
      }
      r.children?.forEach(visit)
    }
    results.forEach(visit)
    return out
  }
}
