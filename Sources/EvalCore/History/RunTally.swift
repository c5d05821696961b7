/// One suite's figures in one run, taken case by case: pass rate over judged cases, mean score and the
/// cases' latencies (for the trend charts and the drift report's per-run series).
struct RunTally {
  private var judged = 0
  private var passed = 0
  private var scoreSum = 0.0
  private var scored = 0
  /// The latencies of the cases that have one, in the order added.
  private(set) var latencies: [Double] = []

  /// Counts `c`.
  mutating func add(_ c: RunRecord.CaseOutcome) {
    if let p = c.passed {
      judged += 1
      if p { passed += 1 }
    }
    if let s = c.score {
      scoreSum += s
      scored += 1
    }
    if let l = c.latencyMs { latencies.append(l) }
  }

  /// Passed over judged cases, `nil` when none was judged.
  var passRate: Double? { judged == 0 ? nil : Double(passed) / Double(judged) }

  /// The mean score of the scored cases, `nil` when none was scored.
  var meanScore: Double? { scored == 0 ? nil : scoreSum / Double(scored) }
}
