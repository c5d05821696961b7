import Foundation

/// Counts and totals over a set of case results.
public struct RunSummary: Sendable, Hashable, Codable {
  /// Cases.
  public var total: Int
  /// Cases that passed.
  public var passed: Int
  /// Cases with a failed assertion.
  public var failed: Int
  /// Cases the endpoint failed on.
  public var errored: Int
  /// Cases not run.
  public var skipped: Int
  /// Samples taken (calls made).
  public var samples: Int
  /// Prompt tokens over samples that reported them.
  public var promptTokens: Int
  /// Completion tokens over samples that reported them.
  public var completionTokens: Int
  /// Cost in US dollars over samples whose cost is known.
  public var cost: Double
  /// Samples that answered but whose cost is unknown (no price or no usage reported).
  public var costUnknownSamples: Int
  /// Median call latency in ms, over samples that got a response.
  public var latencyP50Ms: Double?
  /// 95th-percentile call latency in ms.
  public var latencyP95Ms: Double?
  /// Mean score per named metric.
  public var metrics: [String: Double]

  /// Summarizes results.
  public init(_ results: [CaseResult]) {
    total = results.count
    passed = results.filter { $0.outcome == .passed }.count
    failed = results.filter { $0.outcome == .failed }.count
    errored = results.filter { $0.outcome == .errored }.count
    skipped = results.filter { $0.outcome == .skipped }.count
    let attempts = results.flatMap(\.attempts).filter { $0.outcome != .skipped }
    samples = attempts.count
    promptTokens = attempts.compactMap { $0.usage?.promptTokens }.reduce(0, +)
    completionTokens = attempts.compactMap { $0.usage?.completionTokens }.reduce(0, +)
    cost = attempts.compactMap(\.cost).reduce(0, +)
    costUnknownSamples = attempts.filter { $0.error == nil && $0.cost == nil }.count
    let latencies = attempts.filter { $0.error == nil }.map(\.latencyMs).sorted()
    latencyP50Ms = Descriptive.percentile(latencies, 0.5)
    latencyP95Ms = Descriptive.percentile(latencies, 0.95)
    var sums: [String: (Double, Int)] = [:]
    func collect(_ r: AssertionResult) {
      if let m = r.metric {
        let (s, n) = sums[m] ?? (0, 0)
        sums[m] = (s + r.score, n + 1)
      }
      r.children?.forEach(collect)
    }
    attempts.flatMap(\.assertions).forEach(collect)
    metrics = sums.mapValues { $0.0 / Double($0.1) }
  }
}
