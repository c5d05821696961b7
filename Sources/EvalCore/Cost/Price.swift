import Foundation

/// What a model costs, in US dollars per million tokens.
public struct Price: Sendable, Hashable, Codable {
  /// Per million prompt (input) tokens.
  public var input: Double
  /// Per million completion (output) tokens.
  public var output: Double

  /// Creates a price.
  public init(input: Double, output: Double) {
    self.input = input
    self.output = output
  }

  /// The cost of one call, or `nil` when the endpoint did not report the token counts needed.
  public func cost(of usage: Usage?) -> Double? {
    guard let p = usage?.promptTokens, let c = usage?.completionTokens else { return nil }
    return (Double(p) * input + Double(c) * output) / 1_000_000
  }
}

/// Prices by model name. A name matches its own entry, else the longest entry it starts with
/// (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`). `evalgate.yaml` `prices:` and a provider's `cost:` come first.
public struct PriceTable: Sendable {
  /// Entries by model name (or prefix).
  public var entries: [String: Price]

  /// Creates a table.
  public init(_ entries: [String: Price] = [:]) {
    self.entries = entries
  }

  /// List prices of a few hosted models, as published by their vendors in 2025 (USD per 1M tokens).
  /// They change: set `prices:` in evalgate.yaml for the ones you pay.
  public static let listPrices = PriceTable([
    "gpt-4o": Price(input: 2.50, output: 10.00),
    "gpt-4o-mini": Price(input: 0.15, output: 0.60),
    "gpt-4.1": Price(input: 2.00, output: 8.00),
    "gpt-4.1-mini": Price(input: 0.40, output: 1.60),
    "gpt-4.1-nano": Price(input: 0.10, output: 0.40),
    "o3-mini": Price(input: 1.10, output: 4.40),
  ])

  /// This table with `overrides` taking precedence.
  public func merging(_ overrides: [String: Price]) -> PriceTable {
    PriceTable(entries.merging(overrides) { _, new in new })
  }

  /// The price for `model`, or `nil` when unknown (the cost is then reported as unknown, not 0).
  public func price(for model: String) -> Price? {
    if let exact = entries[model] { return exact }
    let key = entries.keys.filter { model.hasPrefix($0) }.max { $0.count < $1.count }
    return key.flatMap { entries[$0] }
  }
}
