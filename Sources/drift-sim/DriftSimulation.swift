import EvalCore
import Foundation

/// Simulates run histories of a 500-case suite and reports how often `DriftDetector` flags a slow slide
/// (power) and a stable history (false alarms). Used by `scripts/drift-sim`; not a test.
///
///     drift-sim [--histories 2000] [--runs 10] [--cases 500] [--seed 1] [--alpha 0.01]
@main
struct DriftSimulation {
  /// A history scenario.
  enum Scenario: String, CaseIterable {
    case stable = "stable"
    case shocks = "stable, run-level shocks (sd 3 pt) on flaky cases"
    case slideHalf = "slide −0.5 pt per run"
    case slide = "slide −1 pt per run"
    case slideShocks = "slide −1 pt per run, with shocks"
    case step = "one step −3 pt at the newest run"

    var drop: Double {
      switch self {
      case .stable, .shocks: 0
      case .slideHalf: 0.005
      case .slide, .slideShocks: 0.01
      case .step: 0
      }
    }

    var shocks: Bool { self == .shocks || self == .slideShocks }
  }

  /// One case's behaviour.
  struct TrueCase {
    var pass: Double
    var flaky: Bool
    var metrics: [Double]
  }

  var rng: SplitMix64
  let stable = 0.97

  mutating func uniform() -> Double { rng.unit() }

  mutating func normal() -> Double { rng.normal() }

  /// 70 % stable passes, 15 % flaky (30–70 %), 15 % stable failures; three named metrics.
  mutating func population(_ n: Int) -> [TrueCase] {
    (0..<n).map { _ in
      let kind = uniform()
      let flaky = kind >= 0.70 && kind < 0.85
      let pass = kind < 0.70 ? stable : flaky ? 0.3 + 0.4 * uniform() : 1 - stable
      return TrueCase(pass: pass, flaky: flaky, metrics: (0..<3).map { _ in 0.5 + 0.4 * uniform() })
    }
  }

  /// One run: 1 % of calls error; the score follows the pass; named metrics are noisy and do not drift.
  mutating func run(_ n: Int, _ population: [TrueCase], shock: Double) -> RunRecord {
    let cases = population.enumerated().map { i, c -> RunRecord.CaseOutcome in
      let id = String(format: "%016x", i)
      if uniform() < 0.01 { return RunRecord.CaseOutcome(id: id, suite: "sim", outcome: .errored) }
      let p = c.flaky ? min(1, max(0, c.pass + shock)) : c.pass
      let pass = uniform() < p
      var named: [String: Double] = [:]
      for (j, mu) in c.metrics.enumerated() { named["m\(j)"] = min(1, max(0, mu + 0.1 * normal())) }
      return RunRecord.CaseOutcome(
        id: id, suite: "sim", outcome: pass ? .passed : .failed,
        score: pass ? 0.8 + 0.2 * uniform() : 0.3 * uniform(), scores: named, latencyMs: 800)
    }
    let at = Date(timeIntervalSince1970: 1_790_000_000 + Double(n) * 3600)
    return RunRecord(
      id: "run-\(n)", kind: .run, startedAt: at, finishedAt: at, suites: ["sim"],
      summary: RunSummary([CaseResult]()), gate: .passed, passRate: 0, cases: cases,
      audit: AuditRecord(recordedAt: at, toolVersion: "sim"))
  }

  static func main() {
    func option(_ name: String, _ fallback: Double) -> Double {
      let args = CommandLine.arguments
      guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Double(args[i + 1]) else { return fallback }
      return v
    }
    let histories = Int(option("--histories", 2000))
    let runs = Int(option("--runs", 10))
    let cases = Int(option("--cases", 500))
    let detector = DriftDetector(alpha: option("--alpha", 0.01))
    var sim = DriftSimulation(rng: SplitMix64(seed: UInt64(option("--seed", 1))))
    print(
      "\(histories) histories per scenario; \(runs) runs of \(cases) cases; 70 % stable passes (p = 0.97), "
        + "15 % flaky, 15 % stable failures, 1 % errored calls; 6 tests per suite, Holm at α = \(detector.alpha)\n")
    print("| scenario | expected pass-rate change over the window | flagged | by McNemar | by trend | seconds |")
    print("|---|---:|---:|---:|---:|---:|")
    for scenario in Scenario.allCases {
      var flagged = 0
      var byMcNemar = 0
      var byTrend = 0
      var change = 0.0
      let started = Date()
      for _ in 0..<histories {
        var population = sim.population(cases)
        let start = population.reduce(0) { $0 + $1.pass } / Double(cases)
        var broken = 0
        var window: [RunRecord] = []
        for n in 0..<runs {
          // Break stable passes until the expected pass rate is `drop · n` below the first run's.
          let target =
            Int((scenario.drop * Double(n * cases) / (2 * sim.stable - 1)).rounded())
            + (scenario == .step && n == runs - 1 ? Int((0.03 * Double(cases) / (2 * sim.stable - 1)).rounded()) : 0)
          while broken < target {
            if let i = population.firstIndex(where: { !$0.flaky && $0.pass == sim.stable }) {
              population[i].pass = 1 - sim.stable
            }
            broken += 1
          }
          let shock = scenario.shocks ? 0.03 * (2 * sim.uniform() - 1) * 3.0.squareRoot() : 0
          window.append(sim.run(n, population, shock: shock))
        }
        change += population.reduce(0) { $0 + $1.pass } / Double(cases) - start
        let report = detector.analyze(suite: "sim", window: window)
        if report.drifting { flagged += 1 }
        if report.tests.contains(where: { $0.test == .mcnemar && $0.drifting }) { byMcNemar += 1 }
        if report.tests.contains(where: { $0.test == .trend && $0.drifting }) { byTrend += 1 }
      }
      func pct(_ k: Int) -> String { String(format: "%.1f %%", 100 * Double(k) / Double(histories)) }
      print(
        "| \(scenario.rawValue) | \(String(format: "%+.1f pt", 100 * change / Double(histories))) | \(pct(flagged)) | "
          + "\(pct(byMcNemar)) | \(pct(byTrend)) | \(String(format: "%.1f", Date().timeIntervalSince(started))) |")
    }
  }
}
