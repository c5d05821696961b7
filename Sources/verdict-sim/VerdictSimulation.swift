import EvalCore
import Foundation

/// Simulates baseline and candidate runs of a 500-case suite with realistic flakiness and 20 metrics, and
/// reports how often the verdict cries wolf (A/A) and how often it catches a real regression (power).
/// Used by `scripts/bench-verdict`; not a test.
///
///     verdict-sim [--runs 1000] [--power-runs 300] [--cases 500] [--resamples 1000] [--seed 1]
///                 [--critical-alpha 0.01] [--stable 0.97] [--repeat 1]
@main
struct VerdictSimulation {
  /// One case's true behaviour.
  struct TrueCase {
    var pass: Double
    var scores: [Double]
    var latencyMs: Double
    var tokens: Double
  }

  /// How the candidate differs from the baseline.
  enum Scenario: String, CaseIterable {
    case aa = "A/A (identical models)"
    case passDrop = "pass rate −5 points"
    case latency = "latency +20 %"
  }

  var rng: SplitMix64
  /// Pass probability of a stable case (and 1 − it of a stable failure).
  var stable = 0.97
  /// Samples per case in each run (`repeat: k`).
  var repeats = 1

  mutating func uniform() -> Double { rng.unit() }

  mutating func normal() -> Double { rng.normal() }

  /// 70 % stable passes, 15 % flaky, 15 % stable failures; 13 named scores; log-normal latency.
  mutating func population(_ n: Int) -> [TrueCase] {
    (0..<n).map { _ in
      let kind = uniform()
      let pass = kind < 0.70 ? stable : kind < 0.85 ? 0.3 + 0.4 * uniform() : 1 - stable
      return TrueCase(
        pass: pass, scores: (0..<13).map { _ in 0.5 + 0.45 * uniform() },
        latencyMs: 800 * exp(0.5 * normal()), tokens: 100 + 500 * uniform())
    }
  }

  /// One run of the population: `repeats` samples per case, 1 % of calls erroring.
  mutating func run(_ population: [TrueCase], latencyFactor: Double = 1) -> [CaseRecord] {
    population.enumerated().map { i, c in
      let samples = (0..<repeats).map { r in
        let errored = uniform() < 0.01
        let pass = !errored && uniform() < c.pass
        var named: [String: Double] = [:]
        for (j, mu) in c.scores.enumerated() { named["s\(j)"] = min(1, max(0, mu + 0.1 * normal())) }
        let tokens = Int(c.tokens * (1 + 0.05 * normal()))
        return CaseRecord.Sample(
          index: r, pass: pass, score: pass ? 1 : 0, scores: errored ? nil : named,
          latencyMs: errored ? nil : c.latencyMs * latencyFactor * exp(0.2 * normal()),
          tokens: errored ? nil : tokens, cost: errored ? nil : Double(tokens) * 1e-6,
          error: errored ? "http_503" : nil)
      }
      return CaseRecord(
        id: CaseID(rawValue: String(format: "%016x", i)), suite: "sim", title: "case \(i)", provider: "p",
        file: "sim.yaml", line: i + 1, samples: samples)
    }
  }

  static func main() {
    func option(_ name: String, _ fallback: Int) -> Int {
      let args = CommandLine.arguments
      guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
      return v
    }
    let runs = option("--runs", 1000)
    let powerRuns = option("--power-runs", 300)
    let cases = option("--cases", 500)
    var policy = VerdictPolicy()
    // Both arms come from one simulated machine at one time, as in `evalgate canary`: latency gates.
    policy.armsInterleaved = true
    policy.resamples = option("--resamples", 1000)
    if let i = CommandLine.arguments.firstIndex(of: "--critical-alpha"), i + 1 < CommandLine.arguments.count,
      let a = Double(CommandLine.arguments[i + 1])
    {
      policy.criticalAlpha = a
    }
    var sim = VerdictSimulation(rng: SplitMix64(seed: UInt64(option("--seed", 1))))
    if let i = CommandLine.arguments.firstIndex(of: "--stable"), i + 1 < CommandLine.arguments.count,
      let p = Double(CommandLine.arguments[i + 1])
    {
      sim.stable = p
    }
    sim.repeats = max(1, option("--repeat", 1))

    print(
      "N = \(cases) cases, \(sim.repeats) sample(s) each, 20 metrics; stable cases pass with p = \(sim.stable); "
        + "\(policy.resamples) bootstrap resamples per interval; critical α \(policy.criticalAlpha)\n")
    print("| scenario | runs | PROMOTE | HOLD | ROLLBACK | target metric REGRESSED | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for scenario in Scenario.allCases {
      let n = scenario == .aa ? runs : powerRuns
      var counts: [Verdict.Decision: Int] = [:]
      var flagged = 0
      var metricCount = 0
      let started = Date()
      for r in 0..<n {
        policy.seed = UInt64(r + 1)
        var population = sim.population(cases)
        let baseline = sim.run(population)
        var latencyFactor = 1.0
        switch scenario {
        case .aa: break
        case .passDrop:
          // Turn enough stable passes into failures to lower the expected pass rate by 5 points.
          let passing = population.indices.filter { population[$0].pass == sim.stable }
          let needed = Int((0.05 * Double(cases) / (2 * sim.stable - 1)).rounded())
          for i in passing.prefix(needed) { population[i].pass = 1 - sim.stable }
        case .latency: latencyFactor = 1.2
        }
        let candidate = sim.run(population, latencyFactor: latencyFactor)
        let c = Comparison(baseline: baseline, candidate: candidate, policy: policy)
        metricCount = c.metrics.count
        counts[c.verdict.decision, default: 0] += 1
        if ProcessInfo.processInfo.environment["SIM_REASONS"] != nil, c.verdict.decision != .promote {
          print("  \(scenario) \(c.verdict.decision): \(c.verdict.reasons.joined(separator: "; "))")
        }
        let target = scenario == .latency ? "latency" : "pass_rate"
        if c.metrics.first(where: { $0.spec.name == target })?.verdict == .regressed { flagged += 1 }
      }
      func pct(_ k: Int) -> String { String(format: "%.1f %%", 100 * Double(k) / Double(n)) }
      let target = scenario == .latency ? "`latency`" : "`pass_rate`"
      print(
        "| \(scenario.rawValue) | \(n) | \(pct(counts[.promote, default: 0])) | \(pct(counts[.hold, default: 0])) | "
          + "\(pct(counts[.rollback, default: 0])) | \(target) \(pct(flagged)) | "
          + String(format: "%.1f", Date().timeIntervalSince(started)) + " |")
      if metricCount != 20 { print("(note: \(metricCount) metrics compared, not 20)") }
    }
  }
}
