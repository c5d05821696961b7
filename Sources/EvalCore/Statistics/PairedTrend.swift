import Foundation

/// A trend test across k runs on cases paired by id: each case contributes Sⱼ = Σᵢ (tᵢ − t̄)·yᵢⱼ, the
/// covariance of its values with the run order. With no drift the runs of a case are exchangeable, so
/// reversing the order shows Sⱼ and −Sⱼ are equally likely and the cases are independent: a sign-flip
/// test on the Sⱼ. Exact up to 20 non-zero Sⱼ (``SignFlip``), above that the studentised sum
/// Z = ΣSⱼ / √ΣSⱼ² against the normal. Cases that never change (the stable majority) contribute 0 and
/// cost nothing; a case's own stable level cancels out, so flaky and stable cases are weighed by how they
/// moved, not where they sit.
public struct PairedTrend: Sendable, Hashable {
  /// Cases whose values moved within the window (non-zero Sⱼ).
  public let moving: Int
  /// ΣSⱼ divided by Σ(tᵢ − t̄)² and the case count: the per-run slope of the mean value, in value units.
  public let slope: Double
  /// One-sided p that the values fall along the window.
  public let pDecreasing: Double
  /// One-sided p that the values rise along the window.
  public let pIncreasing: Double
  /// Whether the p-values are exact.
  public let exact: Bool

  /// Tests `series`, one row per case, each row the case's values in run order (oldest first); every row
  /// has the same length k ≥ 2.
  public init(_ series: [[Double]]) {
    let k = series.first?.count ?? 0
    var sums: [Double] = []
    if k >= 2 {
      let weights = Self.weights(runs: k)
      sums.reserveCapacity(series.count)
      for row in series {
        var sj = 0.0
        for (w, y) in zip(weights, row) { sj += w * y }
        sums.append(sj)
      }
    }
    self.init(sums: sums, runs: k)
  }

  /// Tests the cases' Sⱼ = Σᵢ wᵢ·yᵢⱼ already summed over k runs (``weights(runs:)``, oldest run first), one per
  /// paired case in a fixed order (the order of the sum, so the same Sⱼ in the same order give the same
  /// p-values to the bit): what a window read one run at a time keeps per case instead of its values. `sums`
  /// is iterated once and not kept: only the first 21 non-zero Sⱼ are (the exact test needs at most 20).
  public init(sums: some Sequence<Double>, runs k: Int) {
    var s: [Double] = []
    var slope = 0.0
    var moving = 0
    // ΣSⱼ and ΣSⱼ² over the non-zero Sⱼ, each added in order from 0 as `reduce` would.
    var total = 0.0
    var squares = 0.0
    if k >= 2 {
      var n = 0
      for sj in sums {
        n += 1
        guard abs(sj) > 1e-12 else { continue }
        moving += 1
        total += sj
        squares += sj * sj
        if s.count <= 20 { s.append(sj) }
      }
      if n > 0 { slope = total / Self.weights(runs: k).reduce(0.0) { $0 + $1 * $1 } / Double(n) }
    }
    self.moving = moving
    self.slope = slope
    if moving == 0 {
      pDecreasing = 1
      pIncreasing = 1
      exact = true
    } else if moving <= 20 {
      let flip = SignFlip(s)
      pDecreasing = flip.pLess
      pIncreasing = flip.pGreater
      exact = true
    } else {
      let z = total / squares.squareRoot()
      pDecreasing = Normal.cdf(z)
      pIncreasing = Normal.upperTail(z)
      exact = false
    }
  }

  /// The weight of each of k runs, oldest first: its index minus the mean index, tᵢ − t̄.
  public static func weights(runs k: Int) -> [Double] {
    let mean = Double(k - 1) / 2
    return (0..<k).map { Double($0) - mean }
  }
}
