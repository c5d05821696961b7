import Foundation

/// Operational figures for one provider over a run: how fast it answered and how it failed.
public struct ProviderStats: Sendable, Hashable, Codable {
  /// The provider's label.
  public var provider: String
  /// Samples taken (each may have needed several tries).
  public var samples: Int
  /// Tries that failed and were retried.
  public var retries: Int
  /// Samples that ended in an endpoint error.
  public var errors: Int
  /// errors / samples.
  public var errorRate: Double
  /// Final errors by type (`http_500`, `timeout`, …).
  public var errorsByType: [String: Int]
  /// Latency percentiles of answered calls, in ms (nearest rank).
  public var latencyP50Ms: Double?
  /// 90th percentile.
  public var latencyP90Ms: Double?
  /// 99th percentile.
  public var latencyP99Ms: Double?
  /// Median time to first token over streamed answers, in ms.
  public var timeToFirstTokenP50Ms: Double?
  /// Samples answered from the response cache.
  public var cacheHits: Int

  /// Per-provider figures, in order of first appearance.
  public static func collect(_ results: some Sequence<CaseResult>) -> [ProviderStats] {
    // One pass, keeping numbers only: a large run's samples are not copied per provider.
    var order: [String] = []
    var tallies: [String: ProviderTally] = [:]
    for c in results {
      if tallies[c.provider] == nil { order.append(c.provider) }
      var t = tallies.removeValue(forKey: c.provider) ?? ProviderTally()
      for a in c.attempts where a.outcome != .skipped {
        t.samples += 1
        t.retries += a.retries
        // The endpoint's own failures; a grader's failure is not this provider's (its answer was real).
        if !a.answered, let error = a.error {
          t.errors += 1
          t.errorsByType[error.typeName, default: 0] += 1
        }
        if a.answered { t.latencies.append(a.latencyMs) }
        if let ttft = a.timeToFirstTokenMs { t.firstTokens.append(ttft) }
        if a.cached == true { t.cacheHits += 1 }
      }
      tallies[c.provider] = t
    }
    return order.map { label in
      let t = tallies[label] ?? ProviderTally()
      let latencies = t.latencies.sorted()
      return ProviderStats(
        provider: label, samples: t.samples, retries: t.retries, errors: t.errors,
        errorRate: t.samples == 0 ? 0 : Double(t.errors) / Double(t.samples), errorsByType: t.errorsByType,
        latencyP50Ms: Descriptive.percentile(latencies, 0.5), latencyP90Ms: Descriptive.percentile(latencies, 0.9),
        latencyP99Ms: Descriptive.percentile(latencies, 0.99),
        timeToFirstTokenP50Ms: Descriptive.percentile(t.firstTokens.sorted(), 0.5),
        cacheHits: t.cacheHits)
    }
  }
}

/// One provider's numbers while ``ProviderStats/collect(_:)`` reads the cases.
private struct ProviderTally {
  var samples = 0
  var retries = 0
  /// The endpoint's own errors, counted by type (a down endpoint's million are not kept).
  var errors = 0
  var errorsByType: [String: Int] = [:]
  var latencies: [Double] = []
  var firstTokens: [Double] = []
  var cacheHits = 0
}
