/// The Mann–Whitney U test for two unpaired samples (say, request latencies of a live canary), by the
/// normal approximation with average ranks for ties, the tie-corrected variance and a continuity
/// correction (as R's `wilcox.test` and scipy's `mannwhitneyu(method='asymptotic')`), plus the
/// Hodges–Lehmann shift with its distribution-free confidence interval.
public struct MannWhitney: Sendable, Hashable {
  /// U for the first sample (`x`): how many (x, y) pairs have x > y, ties counting ½.
  public let u: Double
  /// The mean of U under no difference, n₁n₂/2.
  public let mean: Double
  /// The tie-corrected standard deviation of U.
  public let sd: Double
  /// Sample sizes.
  public let n1: Int, n2: Int
  private let differences: [Double]

  /// Compares `x` (the candidate) with `y` (the baseline). Both must be non-empty.
  public init(_ x: [Double], _ y: [Double]) {
    precondition(!x.isEmpty && !y.isEmpty, "Mann–Whitney needs two non-empty samples")
    n1 = x.count
    n2 = y.count
    let pooled = (x.map { ($0, true) } + y.map { ($0, false) }).sorted { $0.0 < $1.0 }
    var rankSumX = 0.0
    var tieTerm = 0.0
    var i = 0
    while i < pooled.count {
      var j = i
      while j + 1 < pooled.count, pooled[j + 1].0 == pooled[i].0 { j += 1 }
      let rank = Double(i + j + 2) / 2  // average of ranks i+1 … j+1
      for k in i...j where pooled[k].1 { rankSumX += rank }
      let t = Double(j - i + 1)
      tieTerm += t * t * t - t
      i = j + 1
    }
    let (a, b, total) = (Double(n1), Double(n2), Double(n1 + n2))
    u = rankSumX - a * (a + 1) / 2
    mean = a * b / 2
    sd = ((a * b / 12) * ((total + 1) - tieTerm / (total * (total - 1)))).squareRoot()
    differences = x.flatMap { xi in y.map { xi - $0 } }.sorted()
  }

  /// Two-sided p.
  public var pTwoSided: Double {
    guard sd > 0 else { return 1 }
    return min(1, 2 * Normal.upperTail((abs(u - mean) - 0.5) / sd))
  }

  /// One-sided p that `x` tends to be larger than `y`.
  public var pGreater: Double {
    guard sd > 0 else { return u > mean ? 0 : 1 }
    return Normal.upperTail((u - mean - 0.5) / sd)
  }

  /// The common-language effect size, P(x > y) + ½ P(x = y) = U / n₁n₂.
  public var cles: Double { u / Double(n1 * n2) }

  /// The Hodges–Lehmann shift: the median of all differences xᵢ − yⱼ.
  public var shift: Double { Descriptive.median(differences) ?? 0 }

  /// The distribution-free interval for the shift, [D₍ₖ₎, D₍ₘₙ₊₁₋ₖ₎] with
  /// k = ⌊n₁n₂/2 − z·√(n₁n₂(n₁+n₂+1)/12)⌋ (the normal approximation of the critical value).
  public func shiftInterval(level: Double = 0.95) -> (lower: Double, upper: Double) {
    let z = Normal.quantile(1 - (1 - level) / 2)
    let mn = Double(n1 * n2)
    let k = max(1, Int((mn / 2 - z * (mn * Double(n1 + n2 + 1) / 12).squareRoot()).rounded(.down)))
    return (differences[k - 1], differences[differences.count - k])
  }
}
