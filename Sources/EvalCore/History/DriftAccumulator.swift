import Foundation

/// ``DriftDetector``'s tests over a window read one run at a time, oldest first. What it keeps, per case of
/// the window's oldest run (by place, so the columns are plain arrays) and per metric, is whether the case is
/// still paired, its value in the run being read and its Sⱼ = Σᵢ wᵢ·yᵢ so far (the weights come from the
/// window's length, known before the first run), or for the pass outcome its outcome in each run as bits; and
/// each run's pass rate, mean score and latency median; never a whole run. About 35 bytes a case for the pass
/// outcome and the score at 1,000,000 cases (``CaseIndex``, ``OutcomeColumn``, ``ValueColumn``). Gives the same
/// ``DriftReport`` as ``DriftDetector/analyze(suite:window:)`` on the whole window, to the bit: a case's value
/// in a run is its last valued outcome there, cases keep the order of their first outcome in the oldest run,
/// and each sum is taken in the same order.
public struct DriftAccumulator: Sendable {
  /// The tests run.
  public let detector: DriftDetector
  /// The suite.
  public let suite: String
  /// The window's length: how many runs ``add(_:)`` is given.
  public let count: Int

  private let weights: [Double]
  private var runIDs: [String] = []
  private var passRates: [Double?] = []
  private var meanScores: [Double?] = []
  private var latencies: [Double?] = []
  /// Each case id of the oldest run and its place there (by first outcome), the index into the columns.
  private var places = CaseIndex()
  private var pass: OutcomeColumn
  private var score = ValueColumn()
  /// Named metrics of the oldest run's cases.
  private var named: [String: ValueColumn] = [:]
  /// The named metrics of the newest run's cases.
  private var newestNames: Set<String> = []
  /// The place after the last case taken in the run being added: where its next case is when the run lists
  /// its cases in the oldest run's order, as runs of the same suites do.
  private var nextPlace = 0

  /// An accumulator for the `count` runs of `suite`'s window.
  public init(detector: DriftDetector = DriftDetector(), suite: String, count: Int) {
    self.detector = detector
    self.suite = suite
    self.count = count
    weights = PairedTrend.weights(runs: count)
    pass = OutcomeColumn(runs: count)
  }

  /// How many runs were added.
  public var added: Int { runIDs.count }

  /// Adds the window's next run (oldest first).
  public mutating func add(_ run: RunRecord) { add(runID: run.id, cases: run.cases) }

  /// Adds the window's next run (oldest first): its id and its cases (of every suite; the others are skipped).
  public mutating func add(runID: String, cases outcomes: some Sequence<RunRecord.CaseOutcome>) {
    var tally = RunTally()
    let (opening, newest) = startRun()
    for c in outcomes { take(c, into: &tally, opening: opening, newest: newest) }
    endRun(runID, tally: &tally, opening: opening)
  }

  /// Adds the window's next run (oldest first): its id, and its cases (of every suite) as `read` hands them to
  /// the function it is given, one at a time, as they are read from the store. `expected` is how many cases
  /// the run has (of every suite; 0 when not known): room is made for them at once, so the per-case state does
  /// not grow by doubling and copying as the run is read.
  /// - Throws: what `read` throws; the run is then not added, and the accumulator must not be used again.
  public mutating func add(
    runID: String, expecting expected: Int = 0,
    reading read: ((RunRecord.CaseOutcome) -> Void) async throws -> Void
  ) async rethrows {
    var tally = RunTally(expecting: expected)
    let (opening, newest) = startRun()
    if opening {
      places.reserveCapacity(expected)
      pass.reserveCapacity(expected)
      score.reserveCapacity(expected)
    }
    try await read { c in take(c, into: &tally, opening: opening, newest: newest) }
    endRun(runID, tally: &tally, opening: opening)
  }

  /// Whether the run about to be added is the oldest and whether it is the newest.
  private mutating func startRun() -> (opening: Bool, newest: Bool) {
    precondition(added < count, "DriftAccumulator: more runs than the window's \(count)")
    nextPlace = 0
    return (added == 0, added == count - 1)
  }

  /// Takes one case of the run being added.
  private mutating func take(_ c: RunRecord.CaseOutcome, into tally: inout RunTally, opening: Bool, newest: Bool) {
    guard c.suite == suite else { return }
    tally.add(c)
    if newest, let scores = c.scores { newestNames.formUnion(scores.keys) }
    let place: Int
    if opening {
      place = places.insert(c.id).place
    } else if let known = places.place(of: c.id, expected: nextPlace) {
      place = known
    } else {
      return
    }
    nextPlace = place + 1
    if let p = c.passed { pass.take(p, at: place, run: added, opening: opening) }
    if let s = c.score { score.take(s, at: place, opening: opening) }
    for (name, value) in c.scores ?? [:] {
      if opening {
        named[name, default: ValueColumn()].take(value, at: place, opening: true)
      } else {
        named[name]?.take(value, at: place, opening: false)
      }
    }
  }

  /// Ends the run being added: its series' values, and its cases' values into the sums.
  private mutating func endRun(_ runID: String, tally: inout RunTally, opening: Bool) {
    let index = added
    runIDs.append(runID)
    passRates.append(tally.passRate)
    meanScores.append(tally.meanScore)
    latencies.append(Descriptive.median(sorted: tally.sortedLatencies()))

    let weight = weights[index]
    pass.commit(opening: opening, places: places.count)
    score.commit(weight: weight, opening: opening, places: places.count)
    for name in Array(named.keys) { named[name]?.commit(weight: weight, opening: opening, places: places.count) }
  }

  /// The report on the runs added (all `count` of them for the tests to hold).
  public func report() -> DriftReport {
    var report = DriftReport(
      suite: suite, runs: runIDs, alpha: detector.alpha, paired: 0, passRate: passRates, meanScore: meanScores,
      latencyP50Ms: latencies, tests: [])
    guard added >= 2 else { return report }
    precondition(added == count, "DriftAccumulator: \(added) of the window's \(count) runs added")
    let metric = detector.metric

    var tests: [DriftReport.Test] = []
    if metric == nil || metric == "pass_rate" {
      let paired = pass.kept.nonzeroBitCount
      report.paired = paired
      var regressions = 0
      var fixes = 0
      for place in pass.kept.setBits {
        let first = pass.passed(place, in: 0)
        if first != pass.passed(place, in: count - 1) {
          if first { regressions += 1 } else { fixes += 1 }
        }
      }
      let mcnemar = McNemar(regressions: regressions, fixes: fixes)
      let change = paired == 0 ? 0 : Double(fixes - regressions) / Double(paired)
      tests.append(
        .init(
          metric: "pass_rate", test: .mcnemar, change: change, p: mcnemar.pWorse,
          detail: "\(regressions) pass→fail, \(fixes) fail→pass of \(paired) paired cases"))
      if count >= 3 {
        let trend = PairedTrend(
          sums: pass.kept.setBits.lazy.map { [pass, weights] in pass.sum($0, weights: weights) }, runs: count)
        tests.append(
          .init(
            metric: "pass_rate", test: .trend, change: trend.slope, p: trend.pDecreasing,
            detail: "\(trend.moving) of \(paired) paired cases moved within the window"))
      }
    }
    if count >= 3 {
      var names: [String] = metric == nil || metric == "score" ? ["score"] : []
      names += newestNames.sorted().filter { metric == nil || metric == $0 }
      for name in names {
        guard let column = name == "score" ? score : named[name] else { continue }
        let paired = column.kept.nonzeroBitCount
        guard paired > 0 else { continue }
        let trend = PairedTrend(sums: column.kept.setBits.lazy.map { column.sum[$0] }, runs: count)
        tests.append(
          .init(
            metric: name, test: .trend, change: trend.slope, p: trend.pDecreasing,
            detail: "\(trend.moving) of \(paired) paired cases moved within the window"))
      }
    }
    let adjusted = Multiplicity.holm(tests.map(\.p))
    for i in tests.indices {
      tests[i].adjustedP = adjusted[i]
      tests[i].drifting = adjusted[i] < detector.alpha
    }
    report.tests = tests
    return report
  }
}
