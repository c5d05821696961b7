import Foundation

/// The SplitMix64 generator (Steele, Lea & Flood 2014; the seeding generator of xoshiro): a specified,
/// seeded source for bootstrap and permutation draws, so a verdict can be reproduced from its printed seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Starts the sequence at `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform draw in [0, 1) from the top 53 bits.
  public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

  /// A standard normal draw (Box–Muller, two uniform draws).
  public mutating func normal() -> Double {
    let u = max(unit(), 1e-300)
    return (-2 * log(u)).squareRoot() * cos(2 * .pi * unit())
  }

  /// A uniform index in `0..<n` (Lemire's unbiased method, via the standard library).
  public mutating func index(below n: Int) -> Int { Int.random(in: 0..<n, using: &self) }
}
