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
  /// Prompt tokens over the samples that reported them; `nil` (absent in JSON) when none did: unknown,
  /// never 0.
  public var promptTokens: Int?
  /// Completion tokens over the samples that reported them; `nil` when none did.
  public var completionTokens: Int?
  /// Samples that answered without reporting token counts (the totals leave them out).
  public var tokensUnknownSamples: Int
  /// Cost in US dollars over the samples whose cost is known; `nil` when no sample's cost is known.
  public var cost: Double?
  /// Samples that answered but whose cost is unknown (no price or no usage reported).
  public var costUnknownSamples: Int
  /// Median call latency in ms, over samples that got a response.
  public var latencyP50Ms: Double?
  /// 95th-percentile call latency in ms.
  public var latencyP95Ms: Double?
  /// Mean score per named metric.
  public var metrics: [String: Double]

  /// Summarizes results.
  public init(_ results: some Sequence<CaseResult>) {
    // One pass, nothing copied: a run's results are large and this runs for the run and every suite.
    (total, passed, failed, errored, skipped) = (0, 0, 0, 0, 0)
    (samples, tokensUnknownSamples, costUnknownSamples) = (0, 0, 0)
    var prompt: Int?
    var completion: Int?
    var spent: Double?
    var latencies: [Double] = []
    var sums: [String: (Double, Int)] = [:]
    func collect(_ r: AssertionResult) {
      if let m = r.metric {
        let (s, n) = sums[m] ?? (0, 0)
        sums[m] = (s + r.score, n + 1)
      }
      r.children?.forEach(collect)
    }
    for result in results {
      total += 1
      switch result.outcome {
      case .passed: passed += 1
      case .failed: failed += 1
      case .errored: errored += 1
      case .skipped: skipped += 1
      }
      for attempt in result.attempts where attempt.outcome != .skipped {
        samples += 1
        if let n = attempt.usage?.promptTokens { prompt = (prompt ?? 0) + n }
        if let n = attempt.usage?.completionTokens { completion = (completion ?? 0) + n }
        if let c = attempt.cost { spent = (spent ?? 0) + c }
        if attempt.answered {
          if attempt.cost == nil { costUnknownSamples += 1 }
          if attempt.usage?.promptTokens == nil && attempt.usage?.completionTokens == nil { tokensUnknownSamples += 1 }
          latencies.append(attempt.latencyMs)
        }
        attempt.assertions.forEach(collect)
      }
    }
    (promptTokens, completionTokens, cost) = (prompt, completion, spent)
    latencies.sort()
    latencyP50Ms = Descriptive.percentile(latencies, 0.5)
    latencyP95Ms = Descriptive.percentile(latencies, 0.95)
    metrics = sums.mapValues { $0.0 / Double($0.1) }
  }
}
