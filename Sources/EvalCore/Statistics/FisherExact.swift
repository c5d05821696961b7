import Foundation

/// Fisher's exact test on a 2×2 table, for one case's repeats: baseline passed `a` of `a + b`,
/// candidate passed `c` of `c + d`.
public struct FisherExact: Sendable, Hashable {
  /// Two-sided p: the probability of every table, with these margins, no more likely than the observed one.
  public let pTwoSided: Double
  /// One-sided p that the candidate passes less often: tables with at least as many baseline passes.
  public let pWorse: Double

  /// Tests baseline `basePass` of `baseTotal` against candidate `candPass` of `candTotal`.
  public init(basePass: Int, baseTotal: Int, candPass: Int, candTotal: Int) {
    let passes = basePass + candPass
    let n = baseTotal + candTotal
    // P(baseline passes = k) with the margins fixed: hypergeometric.
    func p(_ k: Int) -> Double {
      exp(
        Binomial.logChoose(baseTotal, k) + Binomial.logChoose(candTotal, passes - k) - Binomial.logChoose(n, passes))
    }
    let low = max(0, passes - candTotal)
    let high = min(baseTotal, passes)
    let observed = p(basePass)
    var two = 0.0
    var worse = 0.0
    for k in low...high {
      let pk = p(k)
      if pk <= observed * (1 + 1e-7) { two += pk }
      if k >= basePass { worse += pk }
    }
    pTwoSided = min(1, two)
    pWorse = min(1, worse)
  }
}
