/// The paired bootstrap: resample cases (each with all its repeats, so the case stays the unit) with
/// replacement and recompute a statistic; the percentile interval of the resampled values.
public enum PairedBootstrap {
  /// The `level` percentile interval of `statistic` over `resamples` resamples of `n` case indices.
  /// - Parameters:
  ///   - n: how many cases.
  ///   - statistic: the statistic over a resample, given as case indices (repeats allowed).
  public static func interval(
    cases n: Int, resamples: Int = 10_000, level: Double = 0.95, seed: UInt64,
    statistic: ([Int]) -> Double
  ) -> (lower: Double, upper: Double) {
    guard n > 0 else { return (.nan, .nan) }
    var rng = SplitMix64(seed: seed)
    var values: [Double] = []
    values.reserveCapacity(resamples)
    var sample = [Int](repeating: 0, count: n)
    for _ in 0..<resamples {
      for i in 0..<n { sample[i] = rng.index(below: n) }
      values.append(statistic(sample))
    }
    values.sort()
    let alpha = (1 - level) / 2
    return (quantile(values, alpha), quantile(values, 1 - alpha))
  }

  /// The interval for the mean of per-case differences.
  public static func meanInterval(
    _ differences: [Double], resamples: Int = 10_000, level: Double = 0.95, seed: UInt64
  ) -> (lower: Double, upper: Double) {
    interval(cases: differences.count, resamples: resamples, level: level, seed: seed) { sample in
      sample.reduce(0) { $0 + differences[$1] } / Double(sample.count)
    }
  }

  /// Linear interpolation between order statistics (numpy's default).
  static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
  }
}
