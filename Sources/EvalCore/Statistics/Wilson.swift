/// A binomial proportion's confidence interval by Wilson's score method: never outside [0, 1], sane at
/// 0/n and n/n, and far better than the normal (Wald) interval for the small n of prompt suites.
public struct WilsonInterval: Sendable, Hashable {
  /// Lower bound.
  public var lower: Double
  /// Upper bound.
  public var upper: Double

  /// The interval for `successes` of `trials` at the two-sided `level` (0.95 by default).
  public init(successes: Int, trials: Int, level: Double = 0.95) {
    guard trials > 0 else {
      (lower, upper) = (0, 1)
      return
    }
    let z = Normal.quantile(1 - (1 - level) / 2)
    let n = Double(trials)
    let p = Double(successes) / n
    let z2 = z * z
    let center = (p + z2 / (2 * n)) / (1 + z2 / n)
    let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
    lower = max(0, center - half)
    upper = min(1, center + half)
  }
}
