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
    let d = distribution(cases: n, resamples: resamples, seed: seed, statistic: statistic)
    let alpha = (1 - level) / 2
    return d.isEmpty ? (.nan, .nan) : (quantile(d, alpha), quantile(d, 1 - alpha))
  }

  /// The sorted resampled values of `statistic`, for intervals at several levels from one draw.
  public static func distribution(
    cases n: Int, resamples: Int = 10_000, seed: UInt64, statistic: ([Int]) -> Double
  ) -> [Double] {
    guard n > 0 else { return [] }
    var rng = SplitMix64(seed: seed)
    var values: [Double] = []
    values.reserveCapacity(resamples)
    var sample = [Int](repeating: 0, count: n)
    for _ in 0..<resamples {
      for i in 0..<n { sample[i] = rng.index(below: n) }
      values.append(statistic(sample))
    }
    values.sort()
    return values
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
  public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
  }
}
