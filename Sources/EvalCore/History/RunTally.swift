/// One suite's figures in one run, taken case by case: pass rate over judged cases, mean score and the
/// cases' latencies (for the trend charts and the drift report's per-run series).
struct RunTally {
  private var judged = 0
  private var passed = 0
  private var scoreSum = 0.0
  private var scored = 0
  /// The latencies of the cases that have one, in the order added.
  private(set) var latencies: [Double] = []

  /// A tally of a run expected to have `cases` cases (0 when not known), room made for their latencies at once:
  /// at 1,000,000 cases growing by doubling copied up to 12 MB more than the 8 MB they take.
  init(expecting cases: Int = 0) { latencies.reserveCapacity(cases) }

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

  /// The latencies sorted in place: a run's latencies are never copied to be sorted (at 1,000,000 cases each
  /// sorted copy was 8 MB, and a trend point made two).
  mutating func sortedLatencies() -> [Double] {
    latencies.sort()
    return latencies
  }

  /// Passed over judged cases, `nil` when none was judged.
  var passRate: Double? { judged == 0 ? nil : Double(passed) / Double(judged) }

  /// The mean score of the scored cases, `nil` when none was scored.
  var meanScore: Double? { scored == 0 ? nil : scoreSum / Double(scored) }
}
