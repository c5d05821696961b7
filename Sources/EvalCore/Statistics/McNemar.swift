/// McNemar's exact test for paired pass/fail results: only the discordant pairs carry information.
/// `b` cases passed in the baseline and failed in the candidate (regressions), `c` the reverse (fixes);
/// under no change, b ~ Bin(b + c, ½).
public struct McNemar: Sendable, Hashable {
  /// Pass → fail pairs.
  public var regressions: Int
  /// Fail → pass pairs.
  public var fixes: Int

  /// A test over the discordant counts.
  public init(regressions: Int, fixes: Int) {
    self.regressions = regressions
    self.fixes = fixes
  }

  /// One-sided p that the candidate is worse: P(X ≥ b), 1 when there are no discordant pairs.
  public var pWorse: Double { Binomial.upperTailHalf(regressions, of: regressions + fixes) }

  /// One-sided p that the candidate is better: P(X ≥ c).
  public var pBetter: Double { Binomial.upperTailHalf(fixes, of: regressions + fixes) }

  /// Two-sided p: twice the smaller tail, at most 1.
  public var pTwoSided: Double {
    let m = regressions + fixes
    guard m > 0 else { return 1 }
    return min(1, 2 * Binomial.upperTailHalf(max(regressions, fixes), of: m))
  }
}
