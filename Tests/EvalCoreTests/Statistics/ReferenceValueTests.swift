import EvalCore
import Testing

/// Every hand-checked value of `../shared/reference/verdict.md` §5 (verified there with scipy 1.17.1
/// and statsmodels 0.15.0), to the precision it states.
struct ReferenceValueTests {
  static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance }

  @Test func normalQuantile() {
    #expect(Self.close(Normal.quantile(0.975), 1.959963984540054, 1e-14))
    #expect(Self.close(Normal.quantile(0.8), 0.8416212335729143, 1e-14))
    #expect(Self.close(Normal.quantile(1e-10), -6.361340902404056, 1e-10))
    // (z.975 + z.8)² = 7.848880, the power anchor of §5.4.
    #expect(Self.close(pow2(Normal.quantile(0.975) + Normal.quantile(0.8)), 7.848880, 1e-6))
  }

  @Test(arguments: [
    (45, 50, 0.7863976856, 0.9565242351),
    (0, 10, 0.0, 0.2775327999),
    (10, 10, 0.7224672001, 1.0),
    (7, 20, 0.1811918241, 0.5671457233),
  ])
  func wilson(x: Int, n: Int, lower: Double, upper: Double) {
    let ci = WilsonInterval(successes: x, trials: n)
    #expect(Self.close(ci.lower, lower, 1e-10), "\(ci.lower)")
    #expect(Self.close(ci.upper, upper, 1e-10), "\(ci.upper)")
  }

  @Test func wilsonForTheMcNemarExampleArms() {
    let a = WilsonInterval(successes: 39, trials: 50)
    let b = WilsonInterval(successes: 32, trials: 50)
    #expect(Self.close(a.lower, 0.6476, 5e-5) && Self.close(a.upper, 0.8725, 5e-5))
    #expect(Self.close(b.lower, 0.5014, 5e-5) && Self.close(b.upper, 0.7586, 5e-5))
  }

  @Test func mcNemarExact() {
    let t = McNemar(regressions: 9, fixes: 2)
    #expect(Self.close(t.pTwoSided, 0.0654296875, 1e-12))
    #expect(Self.close(t.pWorse, 0.03271484375, 1e-12))
    #expect(McNemar(regressions: 0, fixes: 0).pWorse == 1)
    #expect(McNemar(regressions: 0, fixes: 0).pTwoSided == 1)
    // Large counts stay finite (log space).
    let big = McNemar(regressions: 600, fixes: 400)
    #expect(big.pWorse > 0 && big.pWorse < 1e-9)
  }

  @Test func mannWhitneyWithTies() {
    let candidate: [Double] = [12, 15, 18, 22, 25]
    let baseline: [Double] = [10, 12, 12, 15, 20]
    let t = MannWhitney(candidate, baseline)
    #expect(t.u == 19.5)
    #expect(Self.close(t.sd * t.sd, 22.2222222222, 1e-9))
    #expect(Self.close((abs(t.u - t.mean) - 0.5) / t.sd, 1.378858, 1e-6))
    #expect(Self.close(t.pTwoSided, 0.1679384710, 1e-9))
    #expect(Self.close(t.pGreater, 0.0839692355, 1e-9))
    #expect(Self.close(t.cles, 0.78))
  }

  @Test func hodgesLehmann() {
    let t = MannWhitney([12, 15, 18, 22, 25], [10, 12, 12, 15, 20])
    #expect(t.shift == 5.0)
    let ci = t.shiftInterval()
    #expect(ci.lower == -3 && ci.upper == 13)
  }

  @Test func signFlipExact() {
    let t = SignFlip([0.10, 0.05, -0.02, 0.08, 0.00, 0.12])
    #expect(t.exact)
    #expect(Self.close(t.pTwoSided, 8.0 / 64, 1e-12))
  }

  @Test func signFlipMonteCarloIsSeededAndNearTheExactValue() {
    // 22 cases: sampled. The same seed gives the same p; the value is near the normal approximation.
    let d = (0..<22).map { Double($0 % 5) - 1.2 }
    let a = SignFlip(d, resamples: 20_000, seed: 42)
    let b = SignFlip(d, resamples: 20_000, seed: 42)
    #expect(!a.exact)
    #expect(a == b)
    #expect(a.pTwoSided > 0 && a.pTwoSided <= 1)
    let sameSigns = SignFlip([Double](repeating: 0.1, count: 30), resamples: 2000, seed: 7)
    #expect(sameSigns.pGreater < 0.01)  // every difference positive: strong evidence
  }

  @Test func benjaminiHochbergAndHolm() {
    let p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205]
    let bh = Multiplicity.benjaminiHochberg(p)
    let expectedBH = [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.0845714, 0.205]
    #expect(zip(bh, expectedBH).allSatisfy { Self.close($0, $1, 1e-7) }, "\(bh)")
    #expect(bh.filter { $0 <= 0.05 }.count == 2)
    let holm = Multiplicity.holm(p)
    let expectedHolm = [0.008, 0.056, 0.234, 0.234, 0.234, 0.234, 0.234, 0.234]
    #expect(zip(holm, expectedHolm).allSatisfy { Self.close($0, $1, 1e-12) }, "\(holm)")
    #expect(holm.filter { $0 <= 0.05 }.count == 1)
    // Order is kept: adjusted values come back where their p came from.
    #expect(Multiplicity.benjaminiHochberg([0.205, 0.001]) == [0.205, 0.002])
  }

  @Test func fisherExactPerCase() {
    let gone = FisherExact(basePass: 5, baseTotal: 5, candPass: 0, candTotal: 5)
    #expect(Self.close(gone.pTwoSided, 2.0 / 252, 1e-10))
    #expect(Self.close(gone.pWorse, 1.0 / 252, 1e-10))
    let some = FisherExact(basePass: 5, baseTotal: 5, candPass: 3, candTotal: 5)
    #expect(Self.close(some.pTwoSided, 0.4444444444, 1e-9))
  }

  @Test func pairedBootstrapIsSeededAndContainsTheEstimate() {
    let d = (0..<200).map { Double(($0 * 37) % 11) / 10 - 0.4 }
    let mean = d.reduce(0, +) / Double(d.count)
    let a = PairedBootstrap.meanInterval(d, resamples: 2000, seed: 3)
    let b = PairedBootstrap.meanInterval(d, resamples: 2000, seed: 3)
    #expect(a.lower == b.lower && a.upper == b.upper)
    #expect(a.lower < mean && mean < a.upper)
    // A quarter of the cases gives an interval about twice as wide (it shrinks like 1/√n).
    let small = PairedBootstrap.meanInterval(Array(d.prefix(50)), resamples: 2000, seed: 3)
    let ratio = (small.upper - small.lower) / (a.upper - a.lower)
    #expect(ratio > 1.6 && ratio < 2.5, "\(ratio)")
  }

  @Test func splitMix64MatchesItsReferenceSequence() {
    // SplitMix64 seeded with 0: the first outputs of the reference C implementation.
    var g = SplitMix64(seed: 0)
    #expect(g.next() == 0xE220_A839_7B1D_CDAF)
    #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
  }
}

private func pow2(_ x: Double) -> Double { x * x }
