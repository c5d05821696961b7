import Foundation

/// Client-side pacing for one provider: request and token buckets (requests/min, tokens/min) and an
/// adaptive concurrency limit that shrinks to 80 % on a 429 (as inspect_ai does) and grows by half
/// again after 5 successes in a row (as promptfoo's scheduler does), between 1 and the run's concurrency.
public actor Throttle {
  /// Limits as configured.
  public struct Limits: Sendable, Hashable {
    /// Requests per minute, or `nil` for no limit.
    public var requestsPerMinute: Double?
    /// Tokens (prompt + completion) per minute, or `nil` for no limit.
    public var tokensPerMinute: Double?

    /// Creates limits.
    public init(requestsPerMinute: Double? = nil, tokensPerMinute: Double? = nil) {
      self.requestsPerMinute = requestsPerMinute
      self.tokensPerMinute = tokensPerMinute
    }
  }

  private let limits: Limits
  private let maxConcurrency: Int
  private let clock = ContinuousClock()
  private var requestTokens: Double
  private var tokenTokens: Double
  private var refilledAt: ContinuousClock.Instant
  private var inFlight = 0
  private var successesInARow = 0

  /// The current concurrency limit (between 1 and the run's concurrency).
  public private(set) var limit: Int

  /// Creates a throttle; buckets start with one second's worth of budget.
  public init(limits: Limits, maxConcurrency: Int) {
    self.limits = limits
    self.maxConcurrency = max(1, maxConcurrency)
    limit = max(1, maxConcurrency)
    requestTokens = max(1, (limits.requestsPerMinute ?? 0) / 60)
    tokenTokens = max(1, (limits.tokensPerMinute ?? 0) / 60)
    refilledAt = clock.now
  }

  /// How long the caller must wait before it may call, `.zero` when it may call now; when zero, the
  /// call's share of every budget is taken.
  /// - Parameter tokens: the estimated tokens of the call.
  public func reserve(tokens: Int) -> Duration {
    refill()
    var wait = Duration.zero
    if inFlight >= limit { wait = .milliseconds(20) }
    if let rpm = limits.requestsPerMinute, requestTokens < 1 {
      wait = max(wait, .milliseconds(Int64((1 - requestTokens) / (rpm / 60) * 1000) + 1))
    }
    if let tpm = limits.tokensPerMinute {
      let need = min(Double(tokens), max(1, tpm / 60))
      if tokenTokens < need { wait = max(wait, .milliseconds(Int64((need - tokenTokens) / (tpm / 60) * 1000) + 1)) }
    }
    guard wait == .zero else { return wait }
    inFlight += 1
    if limits.requestsPerMinute != nil { requestTokens -= 1 }
    if limits.tokensPerMinute != nil { tokenTokens -= Double(tokens) }
    return .zero
  }

  /// A call presumed stuck (see ``CallWindow``) no longer counts against the concurrency limit.
  public func stalled() {
    inFlight = max(0, inFlight - 1)
  }

  /// Ends a call: corrects the token estimate with the real usage and adapts the concurrency limit.
  /// - Parameter stalled: the call was counted out by ``stalled()`` already.
  public func finish(stalled: Bool = false, rateLimited: Bool, estimatedTokens: Int, actualTokens: Int?) {
    if !stalled { inFlight = max(0, inFlight - 1) }
    if limits.tokensPerMinute != nil, let actualTokens { tokenTokens -= Double(actualTokens - estimatedTokens) }
    if rateLimited {
      limit = max(1, Int(Double(limit) * 0.8))
      successesInARow = 0
    } else {
      successesInARow += 1
      if successesInARow >= 5, limit < maxConcurrency {
        limit = min(maxConcurrency, limit + max(1, limit / 2))
        successesInARow = 0
      }
    }
  }

  private func refill() {
    let now = clock.now
    let seconds = refilledAt.duration(to: now).inSeconds
    refilledAt = now
    if let rpm = limits.requestsPerMinute { requestTokens = min(max(1, rpm / 60), requestTokens + seconds * rpm / 60) }
    if let tpm = limits.tokensPerMinute { tokenTokens = min(max(1, tpm / 60), tokenTokens + seconds * tpm / 60) }
  }
}
