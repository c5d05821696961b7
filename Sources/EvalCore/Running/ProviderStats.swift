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
  public static func collect(_ results: [CaseResult]) -> [ProviderStats] {
    var order: [String] = []
    var attempts: [String: [AttemptResult]] = [:]
    for c in results {
      if attempts[c.provider] == nil { order.append(c.provider) }
      attempts[c.provider, default: []] += c.attempts.filter { $0.outcome != .skipped }
    }
    return order.map { label in
      let run = attempts[label] ?? []
      // The endpoint's own failures; a grader's failure is not this provider's (its answer was real).
      let failed = run.filter { !$0.answered }.compactMap(\.error)
      let latencies = run.filter(\.answered).map(\.latencyMs).sorted()
      return ProviderStats(
        provider: label, samples: run.count, retries: run.map(\.retries).reduce(0, +), errors: failed.count,
        errorRate: run.isEmpty ? 0 : Double(failed.count) / Double(run.count),
        errorsByType: Dictionary(failed.map { ($0.typeName, 1) }, uniquingKeysWith: +),
        latencyP50Ms: Descriptive.percentile(latencies, 0.5), latencyP90Ms: Descriptive.percentile(latencies, 0.9),
        latencyP99Ms: Descriptive.percentile(latencies, 0.99),
        timeToFirstTokenP50Ms: Descriptive.percentile(run.compactMap(\.timeToFirstTokenMs).sorted(), 0.5),
        cacheHits: run.filter { $0.cached == true }.count)
    }
  }
}
