import Foundation

/// Limits on what a run may spend. Once reached, no new call starts; calls in flight finish and the
/// cases not started are skipped with the reason.
public struct Budget: Sendable, Hashable {
  /// US dollars, over calls whose cost is known.
  public var maxCost: Double?
  /// Prompt plus completion tokens, over calls that reported them.
  public var maxTokens: Int?

  /// Creates a budget; `nil` means no limit.
  public init(maxCost: Double? = nil, maxTokens: Int? = nil) {
    self.maxCost = maxCost
    self.maxTokens = maxTokens
  }

  /// Why spending `cost` and `tokens` exhausts the budget, or `nil` while within it.
  public func exhausted(cost: Double, tokens: Int) -> String? {
    if let maxCost, cost >= maxCost {
      return "budget reached: cost $\(Budget.dollars(cost)) ≥ --max-cost $\(Budget.dollars(maxCost))"
    }
    if let maxTokens, tokens >= maxTokens { return "budget reached: \(tokens) tokens ≥ --max-tokens \(maxTokens)" }
    return nil
  }

  /// Dollars with 4 decimals.
  public static func dollars(_ x: Double) -> String { String(format: "%.4f", x) }
}
