import Foundation

/// ``DriftDetector``'s tests over a window read one run at a time, oldest first. What it keeps, per case of
/// the window's oldest run (by place, so the columns are plain arrays) and per metric, is the case's value in
/// the run being read and its Sⱼ = Σᵢ wᵢ·yᵢ so far (the weights come from the window's length, known before
/// the first run), the first and last pass outcome for McNemar, and each run's pass rate, mean score and
/// latency median; never a whole run. Gives the same ``DriftReport`` as ``DriftDetector/analyze(suite:window:)``
/// on the whole window, to the bit: a case's value in a run is its last valued outcome there, cases keep the
/// order of their first outcome in the oldest run, and each sum is taken in the same order.
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
  /// Each case id of the oldest run: its place there (by first outcome), the index into the columns.
  private var places: [CaseKey: Int32] = [:]
  private var pass = Column(ends: true)
  private var score = Column()
  /// Named metrics of the oldest run's cases.
  private var named: [String: Column] = [:]
  /// The named metrics of the newest run's cases.
  private var newestNames: Set<String> = []

  /// A case id as a key of ``places``: a stable case id (16 lowercase hex digits) as the 64-bit number it spells,
  /// any other id as itself. At 1,000,000 cases the ids as strings were a million heap strings (16 bytes do not
  /// fit in a small string), about 60 MB of the window's state; the number is the same id, so pairing is exact.
  enum CaseKey: Hashable, Sendable {
    case hex(UInt64)
    case string(String)

    init(_ id: String) {
      var id = id
      self =
        id.withUTF8 { bytes -> CaseKey? in
          guard bytes.count == 16 else { return nil }
          var value: UInt64 = 0
          for b in bytes {
            switch b {
            case 0x30...0x39: value = value << 4 | UInt64(b - 0x30)
            case 0x61...0x66: value = value << 4 | UInt64(b - 0x61 + 10)
            default: return nil
            }
          }
          return .hex(value)
        } ?? .string(id)
    }
  }

  /// One metric over the oldest run's cases, by place: whether each is still paired on it (valued in every run
  /// read), its value in the run being read, Σᵢ wᵢ·yᵢ so far and, for the pass outcome, its first and last value.
  struct Column: Sendable {
    /// Whether first and last values are kept.
    var ends = false
    /// Per place: bit 0 still paired, bit 1 a value pending in the run being read.
    var state: [UInt8] = []
    var pending: [Double] = []
    var sum: [Double] = []
    var first: [Double] = []
    var last: [Double] = []

    static let kept: UInt8 = 1
    static let valued: UInt8 = 2

    /// Makes room for the oldest run's first `places` cases (each kept until a run gives it no value).
    mutating func extend(to places: Int) {
      guard state.count < places else { return }
      let more = places - state.count
      state += repeatElement(Self.kept, count: more)
      pending += repeatElement(0, count: more)
      sum += repeatElement(0, count: more)
      if ends {
        first += repeatElement(0, count: more)
        last += repeatElement(0, count: more)
      }
    }

    /// Sets the value of the case at `place` in the run being read (its last valued outcome wins).
    mutating func take(_ value: Double, at place: Int, opening: Bool) {
      if opening { extend(to: place + 1) }
      guard place < state.count, state[place] & Self.kept != 0 else { return }
      pending[place] = value
      state[place] |= Self.valued
    }

    /// Ends a run of weight `weight`: each kept case takes its value into the sums, or is dropped without one.
    mutating func commit(weight: Double, opening: Bool, places: Int) {
      if opening { extend(to: places) }
      for place in state.indices where state[place] & Self.kept != 0 {
        guard state[place] & Self.valued != 0 else {
          state[place] = 0
          continue
        }
        let value = pending[place]
        if ends {
          if opening { first[place] = value }
          last[place] = value
        }
        sum[place] += weight * value
        state[place] = Self.kept
      }
    }

    /// The places still kept, in order.
    var paired: [Int] { state.indices.filter { state[$0] & Self.kept != 0 } }
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
    var tally = RunTally()
    let (opening, newest) = startRun()
    for c in outcomes { take(c, into: &tally, opening: opening, newest: newest) }
    endRun(runID, tally: tally, opening: opening)
  }

  /// Adds the window's next run (oldest first): its id, and its cases (of every suite) as `read` hands them to
  /// the function it is given, one at a time, as they are read from the store.
  /// - Throws: what `read` throws; the run is then not added, and the accumulator must not be used again.
  public mutating func add(
    runID: String, reading read: ((RunRecord.CaseOutcome) -> Void) async throws -> Void
  ) async rethrows {
    var tally = RunTally()
    let (opening, newest) = startRun()
    try await read { c in take(c, into: &tally, opening: opening, newest: newest) }
    endRun(runID, tally: tally, opening: opening)
  }

  /// Whether the run about to be added is the oldest and whether it is the newest.
  private func startRun() -> (opening: Bool, newest: Bool) {
    precondition(added < count, "DriftAccumulator: more runs than the window's \(count)")
    return (added == 0, added == count - 1)
  }

  /// Takes one case of the run being added.
  private mutating func take(_ c: RunRecord.CaseOutcome, into tally: inout RunTally, opening: Bool, newest: Bool) {
    guard c.suite == suite else { return }
    tally.add(c)
    if newest, let scores = c.scores { newestNames.formUnion(scores.keys) }
    let place: Int
    let key = CaseKey(c.id)
    if let known = places[key] {
      place = Int(known)
    } else if opening {
      place = places.count
      places[key] = Int32(place)
    } else {
      return
    }
    if let p = c.passed { pass.take(p ? 1 : 0, at: place, opening: opening) }
    if let s = c.score { score.take(s, at: place, opening: opening) }
    for (name, value) in c.scores ?? [:] {
      if opening {
        named[name, default: Column()].take(value, at: place, opening: true)
      } else {
        named[name]?.take(value, at: place, opening: false)
      }
    }
  }

  /// Ends the run being added: its series' values, and its cases' values into the sums.
  private mutating func endRun(_ runID: String, tally: RunTally, opening: Bool) {
    let index = added
    runIDs.append(runID)
    passRates.append(tally.passRate)
    meanScores.append(tally.meanScore)
    latencies.append(DriftDetector.median(tally.latencies))

    let weight = weights[index]
    pass.commit(weight: weight, opening: opening, places: places.count)
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
      let paired = pass.paired
      report.paired = paired.count
      var regressions = 0
      var fixes = 0
      for place in paired where pass.first[place] != pass.last[place] {
        if pass.first[place] == 1 { regressions += 1 } else { fixes += 1 }
      }
      let mcnemar = McNemar(regressions: regressions, fixes: fixes)
      let change = paired.isEmpty ? 0 : Double(fixes - regressions) / Double(paired.count)
      tests.append(
        .init(
          metric: "pass_rate", test: .mcnemar, change: change, p: mcnemar.pWorse,
          detail: "\(regressions) pass→fail, \(fixes) fail→pass of \(paired.count) paired cases"))
      if count >= 3 {
        let trend = PairedTrend(sums: paired.map { pass.sum[$0] }, runs: count)
        tests.append(
          .init(
            metric: "pass_rate", test: .trend, change: trend.slope, p: trend.pDecreasing,
            detail: "\(trend.moving) of \(paired.count) paired cases moved within the window"))
      }
    }
    if count >= 3 {
      var names: [String] = metric == nil || metric == "score" ? ["score"] : []
      names += newestNames.sorted().filter { metric == nil || metric == $0 }
      for name in names {
        guard let column = name == "score" ? score : named[name] else { continue }
        let sums = column.paired.map { column.sum[$0] }
        guard !sums.isEmpty else { continue }
        let trend = PairedTrend(sums: sums, runs: count)
        tests.append(
          .init(
            metric: name, test: .trend, change: trend.slope, p: trend.pDecreasing,
            detail: "\(trend.moving) of \(sums.count) paired cases moved within the window"))
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
