import Foundation

/// Exact binomial tail sums, in log space so that large counts do not overflow.
public enum Binomial {
  /// ln C(n, k).
  public static func logChoose(_ n: Int, _ k: Int) -> Double {
    lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
  }

  /// P(X ≥ k) for X ~ Bin(n, ½).
  public static func upperTailHalf(_ k: Int, of n: Int) -> Double {
    guard k > 0 else { return 1 }
    guard k <= n else { return 0 }
    let logHalf = Double(n) * log(0.5)
    return min(1, (k...n).reduce(0) { $0 + exp(logChoose(n, $1) + logHalf) })
  }
}
