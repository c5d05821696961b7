import EvalCore
import Foundation
import Testing

/// The drift check read one run at a time gives the report of the whole-window algorithm it replaced, to the bit:
/// randomized windows against a copy of that algorithm (``ReferenceDrift``).
struct DriftAccumulatorTests {
  /// Random windows of 2, 3, 10 and 2…12 runs: duplicate ids within a run, cases missing from some runs,
  /// errored and skipped cases, named metrics in some runs only (one named `score`), another suite mixed in,
  /// few cases (the exact sign-flip path) and many (the normal one); every metric filter.
  @Test(arguments: [2, 3, 10, 0])
  func theReportIsTheWholeWindowAlgorithmsOnRandomWindows(_ runs: Int) {
    var rng = SplitMix64(seed: 17 + UInt64(runs))
    var exactSeen = false
    var normalSeen = false
    var drifting = 0
    for round in 0..<30 {
      let k = runs == 0 ? Int.random(in: 2...12, using: &rng) : runs
      let window = Self.window(runs: k, pool: round % 3 == 0 ? 8 : Int.random(in: 10...150, using: &rng), &rng)
      for metric in [nil, "pass_rate", "score", "accuracy", "f1"] {
        let detector = DriftDetector(alpha: 0.05, metric: metric)
        let expected = ReferenceDrift.analyze(detector, suite: "s", window: window)
        var accumulator = DriftAccumulator(detector: detector, suite: "s", count: window.count)
        for run in window { accumulator.add(run) }
        let report = accumulator.report()
        #expect(report == expected, "round \(round), k \(k), metric \(metric ?? "all")")
        #expect(detector.analyze(suite: "s", window: window) == expected)
        if metric == nil {
          let moving = expected.tests.filter { $0.test == .trend }.compactMap { Int($0.detail.prefix { $0 != " " }) }
          if moving.contains(where: { $0 > 0 && $0 <= 20 }) { exactSeen = true }
          if moving.contains(where: { $0 > 20 }) { normalSeen = true }
          if expected.drifting { drifting += 1 }
        }
      }
      #expect(
        DriftDetector().analyze(suite: "none", window: window)
          == ReferenceDrift.analyze(
            DriftDetector(), suite: "none", window: window))
    }
    // The windows exercise what they are meant to.
    if runs != 2 {
      #expect(exactSeen)
      #expect(normalSeen)
      #expect(drifting > 0)
    }
  }

  /// Stable case ids (16 lowercase hex digits, kept as numbers) and ids that only look like them (upper case, 15
  /// or 17 digits, the same number spelled shorter) pair as the ids they are; cases pushed one at a time give the
  /// same report.
  @Test func hexIdsAndTheirLookalikesPairAsThemselves() async {
    var rng = SplitMix64(seed: 41)
    let forms: [(Int) -> String] = [
      { String(format: "%016x", $0) }, { String(format: "%016X", $0) }, { String(format: "%015x", $0) },
      { String(format: "%017x", $0) }, { String($0, radix: 16) }, { "case-\($0)" },
    ]
    for round in 0..<10 {
      var window = Self.window(runs: 4, pool: 60, &rng)
      for r in window.indices {
        for c in window[r].cases.indices {
          let n = Int(window[r].cases[c].id.dropFirst("case-".count)) ?? 0
          window[r].cases[c].id = forms[(n + round) % forms.count](n % 7 + 10)
        }
      }
      let expected = ReferenceDrift.analyze(DriftDetector(alpha: 0.05), suite: "s", window: window)
      #expect(DriftDetector(alpha: 0.05).analyze(suite: "s", window: window) == expected, "round \(round)")
      var pushed = DriftAccumulator(detector: DriftDetector(alpha: 0.05), suite: "s", count: window.count)
      for run in window {
        await pushed.add(runID: run.id) { take in for c in run.cases { take(c) } }
      }
      #expect(pushed.report() == expected, "round \(round)")
    }
  }

  /// Thousands of stable ids (the id table grows, the bit rows cross words), windows up to 70 runs (a case's
  /// row of outcome bits longer than a word), read case by case with a case count that is right, too small or
  /// too large: the report is the whole-window algorithm's.
  @Test(arguments: [3, 10, 70])
  func largeWindowsOfStableIdsMatch(_ runs: Int) async {
    var rng = SplitMix64(seed: 99 + UInt64(runs))
    var window = Self.window(runs: runs, pool: runs > 10 ? 300 : 3_000, &rng)
    let salt = rng.next()
    for r in window.indices {
      for c in window[r].cases.indices {
        let n = UInt64(window[r].cases[c].id.dropFirst("case-".count)) ?? 0
        window[r].cases[c].id = String(format: "%016llx", (n &+ 1) &* 0x9E37_79B9_7F4A_7C15 ^ salt)
      }
    }
    for metric in [nil, "pass_rate", "score", "accuracy"] {
      let detector = DriftDetector(alpha: 0.05, metric: metric)
      let expected = ReferenceDrift.analyze(detector, suite: "s", window: window)
      #expect(detector.analyze(suite: "s", window: window) == expected, "metric \(metric ?? "all")")
      for expecting in [0, 10, window[0].cases.count, 100_000] {
        var pushed = DriftAccumulator(detector: detector, suite: "s", count: window.count)
        for run in window {
          await pushed.add(runID: run.id, expecting: expecting) { take in for c in run.cases { take(c) } }
        }
        #expect(pushed.report() == expected, "metric \(metric ?? "all"), expecting \(expecting)")
      }
    }
  }

  /// The trend test on Sⱼ read once from a sequence (not kept) is the whole-series test to the bit, around the
  /// exact test's limit of 20 moving cases.
  @Test(arguments: [0, 1, 20, 21, 22, 500])
  func trendOnSumsReadOnceIsTheWholeSeriesTest(_ moving: Int) {
    var rng = SplitMix64(seed: 5 + UInt64(moving))
    var series: [[Double]] = (0..<moving).map { _ in (0..<6).map { _ in Double.random(in: 0...1, using: &rng) } }
    for _ in 0..<40 {
      let level = Double.random(in: 0...1, using: &rng)
      series.insert(Array(repeating: level, count: 6), at: Int.random(in: 0...series.count, using: &rng))
    }
    let weights = PairedTrend.weights(runs: 6)
    let sums = series.lazy.map { row in zip(weights, row).reduce(0.0) { $0 + $1.0 * $1.1 } }
    let trend = PairedTrend(sums: sums, runs: 6)
    let reference = ReferenceDrift.Trend(series)
    #expect(trend.moving == reference.moving)
    #expect(trend.slope == reference.slope)
    #expect(trend.pDecreasing == reference.pDecreasing)
    #expect(trend == PairedTrend(series))
  }

  @Test func emptyAndSingleRunWindowsMatchToo() {
    var rng = SplitMix64(seed: 5)
    let window = Self.window(runs: 1, pool: 20, &rng)
    #expect(
      DriftDetector().analyze(suite: "s", window: window)
        == ReferenceDrift.analyze(DriftDetector(), suite: "s", window: window))
    #expect(
      DriftDetector().analyze(suite: "s", window: []) == ReferenceDrift.analyze(DriftDetector(), suite: "s", window: [])
    )
  }

  /// The ids of the oldest run that appear in every run with a value are paired, whatever else happens.
  @Test func pairingFollowsTheOldestRunsCasesAndTheirLastValue() {
    func run(_ n: Int, _ cases: [(String, Outcome)]) -> RunRecord {
      var record = HistoryFixtures.record(n, cases: 0) { _ in true }
      record.cases = cases.map { RunRecord.CaseOutcome(id: $0.0, suite: "s", outcome: $0.1) }
      return record
    }
    // a: passes then fails; its duplicate in the oldest run fails last, so it counts as failed→failed.
    // b: errored in the middle run, unpaired. c: not in the oldest run, unpaired. d: pass→fail.
    let window = [
      run(0, [("a", .passed), ("b", .passed), ("d", .passed), ("a", .failed), ("a", .skipped)]),
      run(1, [("a", .passed), ("b", .errored), ("c", .passed), ("d", .passed)]),
      run(2, [("d", .failed), ("a", .failed), ("b", .passed), ("c", .failed)]),
    ]
    let report = DriftDetector().analyze(suite: "s", window: window)
    #expect(report.paired == 2)
    #expect(report.tests.first?.detail == "1 pass→fail, 0 fail→pass of 2 paired cases")
    #expect(report == ReferenceDrift.analyze(DriftDetector(), suite: "s", window: window))
  }

  /// A random window of `runs` runs of suite `s` over ids from a pool of `pool`.
  static func window(runs k: Int, pool: Int, _ rng: inout SplitMix64) -> [RunRecord] {
    let decline = Double.random(in: 0...0.08, using: &rng)
    let names = ["accuracy", "f1", "score"]
    let namedFrom = names.map { _ in Int.random(in: 0..<max(k, 1), using: &rng) }
    let coarse = Bool.random(using: &rng)
    return (0..<k).map { n -> RunRecord in
      var record = HistoryFixtures.record(n, cases: 0) { _ in true }
      var cases: [RunRecord.CaseOutcome] = []
      for i in 0..<pool {
        guard Double.random(in: 0..<1, using: &rng) < 0.9 else { continue }
        let copies = Double.random(in: 0..<1, using: &rng) < 0.1 ? 2 : 1
        for _ in 0..<copies {
          let roll = Double.random(in: 0..<1, using: &rng)
          let pPass = 0.8 - decline * Double(n) + (i % 4 == 0 ? 0.15 : 0)
          let outcome: Outcome =
            roll < 0.05
            ? .errored : roll < 0.08 ? .skipped : Double.random(in: 0..<1, using: &rng) < pPass ? .passed : .failed
          let judged = outcome == .passed || outcome == .failed
          func value() -> Double {
            coarse
              ? [0, 0.5, 1][Int.random(in: 0..<3, using: &rng)]
              : Double.random(in: 0...1, using: &rng) - decline * Double(n)
          }
          let score: Double? = judged && Double.random(in: 0..<1, using: &rng) < 0.95 ? value() : nil
          var scores: [String: Double] = [:]
          for (m, name) in names.enumerated() where judged && n >= namedFrom[m] {
            if Double.random(in: 0..<1, using: &rng) < 0.9 { scores[name] = value() }
          }
          let latency: Double? = judged ? Double(Int.random(in: 50...500, using: &rng)) : nil
          cases.append(
            RunRecord.CaseOutcome(
              id: "case-\(i)", suite: "s", outcome: outcome, score: score, scores: scores.isEmpty ? nil : scores,
              latencyMs: latency))
        }
        if i % 7 == 0 {
          cases.append(RunRecord.CaseOutcome(id: "case-\(i)", suite: "other", outcome: .failed, score: 0, latencyMs: 9))
        }
      }
      // Neighbours swap now and then: a case's place differs from run to run.
      for j in stride(from: 1, to: cases.count, by: 5) where Bool.random(using: &rng) { cases.swapAt(j - 1, j) }
      record.cases = cases
      return record
    }
  }
}

/// The drift check as it was before it read runs one at a time (`DriftDetector.analyze` and `PairedTrend` on
/// whole windows), kept as the reference the accumulator must match.
enum ReferenceDrift {
  static func analyze(_ detector: DriftDetector, suite: String, window: [RunRecord]) -> DriftReport {
    let alpha = detector.alpha
    let metric = detector.metric
    let runs = window.map { $0.cases(of: suite) }
    var report = DriftReport(
      suite: suite, runs: window.map(\.id), alpha: alpha, paired: 0,
      passRate: window.map { $0.passRate(of: suite) }, meanScore: window.map { $0.meanScore(of: suite) },
      latencyP50Ms: runs.map { median($0.compactMap(\.latencyMs)) }, tests: [])
    guard window.count >= 2 else { return report }

    var tests: [DriftReport.Test] = []
    if metric == nil || metric == "pass_rate" {
      let series = paired(runs) { $0.passed.map { $0 ? 1.0 : 0.0 } }
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
      if window.count >= 3 {
        let trend = Trend(series)
        tests.append(
          .init(
            metric: "pass_rate", test: .trend, change: trend.slope, p: trend.pDecreasing,
            detail: "\(trend.moving) of \(series.count) paired cases moved within the window"))
      }
    }
    if window.count >= 3 {
      var names: [String] = metric == nil || metric == "score" ? ["score"] : []
      let named = Set(runs.last?.flatMap { $0.scores.map { Array($0.keys) } ?? [] } ?? []).sorted()
      names += named.filter { metric == nil || metric == $0 }
      for name in names {
        let series = paired(runs) { name == "score" ? $0.score : $0.scores?[name] }
        guard !series.isEmpty else { continue }
        let trend = Trend(series)
        tests.append(
          .init(
            metric: name, test: .trend, change: trend.slope, p: trend.pDecreasing,
            detail: "\(trend.moving) of \(series.count) paired cases moved within the window"))
      }
    }
    let adjusted = Multiplicity.holm(tests.map(\.p))
    for i in tests.indices {
      tests[i].adjustedP = adjusted[i]
      tests[i].drifting = adjusted[i] < alpha
    }
    report.tests = tests
    return report
  }

  static func paired(_ runs: [[RunRecord.CaseOutcome]], _ value: (RunRecord.CaseOutcome) -> Double?) -> [[Double]] {
    guard let first = runs.first else { return [] }
    let maps = runs.map { cases in
      var byID: [String: Double] = [:]
      for c in cases { if let v = value(c) { byID[c.id] = v } }
      return byID
    }
    var seen: Set<String> = []
    return first.compactMap { c -> [Double]? in
      guard seen.insert(c.id).inserted else { return nil }
      let row = maps.compactMap { $0[c.id] }
      return row.count == runs.count ? row : nil
    }
  }

  static func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }

  /// `PairedTrend` as it was.
  struct Trend {
    let moving: Int
    let slope: Double
    let pDecreasing: Double

    init(_ series: [[Double]]) {
      let k = series.first?.count ?? 0
      var s: [Double] = []
      var slope = 0.0
      if k >= 2 {
        let mean = Double(k - 1) / 2
        let weights = (0..<k).map { Double($0) - mean }
        let sxx = weights.reduce(0.0) { $0 + $1 * $1 }
        for row in series {
          var sj = 0.0
          for (w, y) in zip(weights, row) { sj += w * y }
          if abs(sj) > 1e-12 { s.append(sj) }
        }
        slope = s.reduce(0.0, +) / sxx / Double(series.count)
      }
      moving = s.count
      self.slope = slope
      if s.isEmpty {
        pDecreasing = 1
      } else if s.count <= 20 {
        pDecreasing = SignFlip(s).pLess
      } else {
        let z = s.reduce(0.0, +) / s.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
        pDecreasing = Normal.cdf(z)
      }
    }
  }
}
