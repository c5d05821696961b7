/// The paired sign-flip permutation test on per-case differences d (candidate − baseline, oriented so
/// that larger is worse): under no change each dᵢ is as likely to have had the other sign. Exact by
/// enumeration up to 20 cases; above that, Monte Carlo with a seeded ``SplitMix64``, p = (1 + hits)/(1 + R).
public struct SignFlip: Sendable, Hashable {
  /// Two-sided p: how often |Σ ±dᵢ| reaches the observed |Σ dᵢ|.
  public let pTwoSided: Double
  /// One-sided p: how often Σ ±dᵢ reaches the observed Σ dᵢ (evidence that d is positive).
  public let pGreater: Double
  /// One-sided p: how often Σ ±dᵢ is at most the observed Σ dᵢ (evidence that d is negative).
  public let pLess: Double
  /// Whether the p-values are exact (all 2ⁿ sign vectors) rather than sampled.
  public let exact: Bool

  /// Observed sums are compared with this tolerance: sign vectors often tie the observed value exactly.
  static let tolerance = 1e-12

  /// Tests `differences`; `resamples` and `seed` apply above 20 cases.
  public init(_ differences: [Double], resamples: Int = 10_000, seed: UInt64 = 1) {
    let d = differences
    let observed = d.reduce(0, +)
    let n = d.count
    var both = 0
    var greater = 0
    var less = 0
    if n <= 20 {
      exact = true
      let total = 1 << n
      for mask in 0..<total {
        var sum = 0.0
        for i in 0..<n { sum += mask & (1 << i) == 0 ? d[i] : -d[i] }
        if abs(sum) >= abs(observed) - Self.tolerance { both += 1 }
        if sum >= observed - Self.tolerance { greater += 1 }
        if sum <= observed + Self.tolerance { less += 1 }
      }
      pTwoSided = Double(both) / Double(total)
      pGreater = Double(greater) / Double(total)
      pLess = Double(less) / Double(total)
    } else {
      exact = false
      var rng = SplitMix64(seed: seed)
      for _ in 0..<resamples {
        var sum = 0.0
        var bits = rng.next()
        for i in 0..<n {
          if i % 64 == 0, i > 0 { bits = rng.next() }
          sum += bits & (1 << UInt64(i % 64)) == 0 ? d[i] : -d[i]
        }
        if abs(sum) >= abs(observed) - Self.tolerance { both += 1 }
        if sum >= observed - Self.tolerance { greater += 1 }
        if sum <= observed + Self.tolerance { less += 1 }
      }
      pTwoSided = Double(1 + both) / Double(1 + resamples)
      pGreater = Double(1 + greater) / Double(1 + resamples)
      pLess = Double(1 + less) / Double(1 + resamples)
    }
  }
}
