import Foundation

/// One suite over its last runs, oldest first, for the trend chart in report.html and the sparkline line in
/// summary.md: pass rate, mean score and case latency p50/p95 per run (each `nil` where the run had none).
public struct SuiteTrend: Sendable, Hashable {
  /// One run of the suite.
  public struct Point: Sendable, Hashable {
    /// The run's id (empty for the run being reported, not yet recorded).
    public var runID: String
    /// When the run started.
    public var startedAt: Date
    /// Passed over judged cases.
    public var passRate: Double?
    /// Mean case score.
    public var meanScore: Double?
    /// Median case latency, milliseconds.
    public var latencyP50Ms: Double?
    /// 95th-percentile case latency (nearest rank), milliseconds.
    public var latencyP95Ms: Double?

    /// A point.
    public init(
      runID: String, startedAt: Date, passRate: Double?, meanScore: Double?, latencyP50Ms: Double?,
      latencyP95Ms: Double?
    ) {
      self.runID = runID
      self.startedAt = startedAt
      self.passRate = passRate
      self.meanScore = meanScore
      self.latencyP50Ms = latencyP50Ms
      self.latencyP95Ms = latencyP95Ms
    }

    /// The point of run `runID` started at `startedAt` whose cases of the suite are `cases`, read once.
    public init(runID: String, startedAt: Date, cases: some Sequence<RunRecord.CaseOutcome>) {
      var tally = RunTally()
      for c in cases { tally.add(c) }
      self.init(runID: runID, startedAt: startedAt, tally: &tally)
    }

    /// The point of run `runID` started at `startedAt` whose cases (of every suite) `read` hands to the function
    /// it is given, one at a time (as a store reads them from its chunks); only `suite`'s are counted.
    /// - Throws: what `read` throws.
    public init(
      runID: String, startedAt: Date, suite: String,
      reading read: ((RunRecord.CaseOutcome) -> Void) async throws -> Void
    ) async rethrows {
      var tally = RunTally()
      try await read { c in if c.suite == suite { tally.add(c) } }
      self.init(runID: runID, startedAt: startedAt, tally: &tally)
    }

    init(runID: String, startedAt: Date, tally: inout RunTally) {
      let latencies = tally.sortedLatencies()
      self.init(
        runID: runID, startedAt: startedAt, passRate: tally.passRate, meanScore: tally.meanScore,
        latencyP50Ms: Descriptive.median(sorted: latencies), latencyP95Ms: Descriptive.percentile(latencies, 0.95))
    }

    /// The point of `suite` in a recorded run.
    public init(run: RunRecord, suite: String) {
      self.init(runID: run.id, startedAt: run.startedAt, cases: run.cases.lazy.filter { $0.suite == suite })
    }

    /// The point of `suite` in the run being reported (not yet recorded: no run id), from its results one case
    /// at a time, as its record would have it.
    public init(report: RunReport, suite: String) {
      self.init(
        runID: "", startedAt: report.startedAt,
        cases: report.cases.lazy.filter { $0.suite == suite }.map { RunRecord.CaseOutcome($0) })
    }
  }

  /// The suite.
  public var suite: String
  /// Its runs, oldest first.
  public var points: [Point]

  /// A trend.
  public init(suite: String, points: [Point]) {
    self.suite = suite
    self.points = points
  }

  /// The trend of `suite` over `runs` (oldest first; runs without the suite are left out), keeping the newest
  /// `window`.
  public init(suite: String, runs: [RunRecord], window: Int = 10) {
    self.suite = suite
    points = runs.filter { $0.suites.contains(suite) }.suffix(window).map { Point(run: $0, suite: suite) }
  }

  /// Whether there is a trend to show: two runs or more.
  public var isShown: Bool { points.count >= 2 }

  /// One block character per value, scaled between the series' min and max (the middle block when they are
  /// equal); a space for a missing value.
  public static func sparkline(_ values: [Double?]) -> String {
    let blocks = Array("▁▂▃▄▅▆▇█")
    let known = values.compactMap { $0 }
    guard let lo = known.min(), let hi = known.max() else { return String(repeating: " ", count: values.count) }
    return String(
      values.map { v -> Character in
        guard let v else { return " " }
        guard hi > lo else { return blocks[3] }
        return blocks[min(blocks.count - 1, Int((v - lo) / (hi - lo) * Double(blocks.count - 1) + 0.5))]
      })
  }
}
