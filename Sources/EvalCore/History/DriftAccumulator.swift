import Foundation

/// ``DriftDetector``'s tests over a window read one run at a time, oldest first: what it keeps is, per case id
/// of the window's oldest run, each metric's first and last value and its Sⱼ = Σᵢ wᵢ·yᵢ so far (the weights
/// come from the window's length, known before the first run), plus each run's pass rate, mean score and
/// latency median; never a whole run. Gives the same ``DriftReport`` as
/// ``DriftDetector/analyze(suite:window:)`` on the whole window, to the bit: a case's value in a run is its
/// last valued outcome there, cases keep the order of their first outcome in the oldest run, and each sum is
/// taken in the same order.
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
  /// Per case id of the oldest run: its metrics, while it is still paired on one.
  private var cases: [String: Paired] = [:]
  /// The next case's place in the oldest run.
  private var nextOrder = 0
  /// The named metrics of the newest run's cases.
  private var newestNames: Set<String> = []

  /// One metric of one case: its value in the run being read, then its values so far.
  struct Track: Sendable {
    /// The value in the run being read (its last valued outcome there).
    var pending: Double?
    /// The value in the oldest run.
    var first = 0.0
    /// The value in the newest run read.
    var last = 0.0
    /// Σᵢ wᵢ·yᵢ over the runs read.
    var sum = 0.0

    /// Takes the run's value into the sums; false when the run had none (the case is no longer paired on it).
    mutating func commit(weight: Double, first isFirst: Bool) -> Bool {
      guard let value = pending else { return false }
      if isFirst { first = value }
      last = value
      sum += weight * value
      pending = nil
      return true
    }
  }

  /// One case of the oldest run.
  struct Paired: Sendable {
    /// Its place in the oldest run (by first outcome).
    var order: Int
    /// Pass (1) or fail (0), while judged in every run.
    var pass: Track?
    /// The weighted score, while scored in every run.
    var score: Track?
    /// Named metrics, while scored in every run.
    var named: [String: Track] = [:]

    /// Sets the pending values of the case's outcome in the run being read; the oldest run (`opening`) starts
    /// the tracks, later runs only update the tracks still kept.
    mutating func take(_ c: RunRecord.CaseOutcome, opening: Bool) {
      if let passed = c.passed {
        if opening, pass == nil { pass = Track() }
        pass?.pending = passed ? 1 : 0
      }
      if let value = c.score {
        if opening, score == nil { score = Track() }
        score?.pending = value
      }
      for (name, value) in c.scores ?? [:] {
        if opening, named[name] == nil { named[name] = Track() }
        named[name]?.pending = value
      }
    }

    /// Ends a run: each track takes its pending value or is dropped. False when no track is left.
    mutating func commit(weight: Double, first: Bool) -> Bool {
      if pass?.commit(weight: weight, first: first) == false { pass = nil }
      if score?.commit(weight: weight, first: first) == false { score = nil }
      if !named.isEmpty {
        var dropped: [String] = []
        for key in named.keys where named[key]?.commit(weight: weight, first: first) == false { dropped.append(key) }
        for key in dropped { named[key] = nil }
      }
      return pass != nil || score != nil || !named.isEmpty
    }
  }

  /// An accumulator for the `count` runs of `suite`'s window.
  public init(detector: DriftDetector = DriftDetector(), suite: String, count: Int) {
    self.detector = detector
    self.suite = suite
    self.count = count
    weights = PairedTrend.weights(runs: count)
  }

  /// How many runs were added.
  public var added: Int { runIDs.count }

  /// Adds the window's next run (oldest first).
  public mutating func add(_ run: RunRecord) { add(runID: run.id, cases: run.cases) }

  /// Adds the window's next run (oldest first): its id and its cases (of every suite; the others are skipped).
  public mutating func add(runID: String, cases outcomes: some Sequence<RunRecord.CaseOutcome>) {
    precondition(added < count, "DriftAccumulator: more runs than the window's \(count)")
    let index = added
    let opening = index == 0
    let newest = index == count - 1
    var judged = 0
    var passed = 0
    var scoreSum = 0.0
    var scored = 0
    var runLatencies: [Double] = []
    for c in outcomes where c.suite == suite {
      if let p = c.passed {
        judged += 1
        if p { passed += 1 }
      }
      if let s = c.score {
        scoreSum += s
        scored += 1
      }
      if let l = c.latencyMs { runLatencies.append(l) }
      if newest, let named = c.scores { newestNames.formUnion(named.keys) }
      if opening, cases[c.id] == nil {
        cases[c.id] = Paired(order: nextOrder)
        nextOrder += 1
      }
      cases[c.id]?.take(c, opening: opening)
    }
    runIDs.append(runID)
    passRates.append(judged == 0 ? nil : Double(passed) / Double(judged))
    meanScores.append(scored == 0 ? nil : scoreSum / Double(scored))
    latencies.append(DriftDetector.median(runLatencies))

    let weight = weights[index]
    var dropped: [String] = []
    var i = cases.startIndex
    while i != cases.endIndex {
      if !cases.values[i].commit(weight: weight, first: opening) { dropped.append(cases.keys[i]) }
      cases.formIndex(after: &i)
    }
    for key in dropped { cases[key] = nil }
  }

  /// The report on the runs added (all `count` of them for the tests to hold).
  public func report() -> DriftReport {
    var report = DriftReport(
      suite: suite, runs: runIDs, alpha: detector.alpha, paired: 0, passRate: passRates, meanScore: meanScores,
      latencyP50Ms: latencies, tests: [])
    guard added >= 2 else { return report }
    precondition(added == count, "DriftAccumulator: \(added) of the window's \(count) runs added")
    let ordered = cases.values.sorted { $0.order < $1.order }
    let metric = detector.metric

    var tests: [DriftReport.Test] = []
    if metric == nil || metric == "pass_rate" {
      let series = ordered.compactMap(\.pass)
      report.paired = series.count
      var regressions = 0
      var fixes = 0
      for row in series where row.first != row.last {
        if row.first == 1 { regressions += 1 } else { fixes += 1 }
      }
      let mcnemar = McNemar(regressions: regressions, fixes: fixes)
      let change = series.isEmpty ? 0 : Double(fixes - regressions) / Double(series.count)
      tests.append(
        .init(
          metric: "pass_rate", test: .mcnemar, change: change, p: mcnemar.pWorse,
          detail: "\(regressions) pass→fail, \(fixes) fail→pass of \(series.count) paired cases"))
      if count >= 3 {
        let trend = PairedTrend(sums: series.map(\.sum), runs: count)
        tests.append(
          .init(
            metric: "pass_rate", test: .trend, change: trend.slope, p: trend.pDecreasing,
            detail: "\(trend.moving) of \(series.count) paired cases moved within the window"))
      }
    }
    if count >= 3 {
      var names: [String] = metric == nil || metric == "score" ? ["score"] : []
      names += newestNames.sorted().filter { metric == nil || metric == $0 }
      for name in names {
        let series = ordered.compactMap { name == "score" ? $0.score : $0.named[name] }
        guard !series.isEmpty else { continue }
        let trend = PairedTrend(sums: series.map(\.sum), runs: count)
        tests.append(
          .init(
            metric: name, test: .trend, change: trend.slope, p: trend.pDecreasing,
            detail: "\(trend.moving) of \(series.count) paired cases moved within the window"))
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
