import Foundation

/// When and how long to wait before calling an endpoint again: exponential backoff with full jitter and
/// a cap, a server's own hint (`Retry-After` and friends) preferred when it gives one, and a per-case
/// deadline that bounds the total time spent retrying.
public struct RetryPolicy: Sendable, Hashable {
  /// Retries after the first try; 0 means none.
  public var maxRetries: Int
  /// The first backoff step; step n is `baseDelay · 2ⁿ` before jitter.
  public var baseDelay: Duration
  /// No single wait is longer than this, whatever the server asks.
  public var maxDelay: Duration
  /// A case gives up retrying once this much time has passed since its first try.
  public var caseDeadline: Duration
  /// Error kinds that are retried.
  public var retryable: Set<ProviderError.Kind>

  /// The defaults: 6 retries (at a 30 % fault rate, 0.3⁷ ≈ 0.02 % of calls still fail), 0.25 s doubling to
  /// at most 30 s, within 5 minutes per case; retried are rate limits, 408 and 5xx, connection failures,
  /// timeouts, cut-off bodies and unparseable 200s. The first step is half openai-python's 0.5 s: a case in
  /// backoff holds no place in the ``CallWindow``, and overload is answered run-wide by the adaptive limit
  /// of ``Throttle`` and the server's own `Retry-After`, so the per-case wait need not grow as fast.
  public init(
    maxRetries: Int = 6, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(30),
    caseDeadline: Duration = .seconds(300),
    retryable: Set<ProviderError.Kind> = [.rateLimited, .http, .connection, .timeout, .truncated, .malformedResponse]
  ) {
    self.maxRetries = max(0, maxRetries)
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.caseDeadline = caseDeadline
    self.retryable = retryable
  }

  /// No retries at all.
  public static let none = RetryPolicy(maxRetries: 0)

  /// Whether `error` is worth another try. HTTP errors are retried only for 408, 409, 425 and 5xx: a 400 or
  /// 401 will not get better.
  public func shouldRetry(_ error: ProviderError) -> Bool {
    guard retryable.contains(error.kind) else { return false }
    if error.kind == .http, let status = error.status {
      return status == 408 || status == 409 || status == 425 || (500...599).contains(status)
    }
    return true
  }

  /// The wait before retry number `retry` (from 0): the server's hint when it gave one, else a uniform
  /// draw from [0, min(maxDelay, baseDelay · 2^retry)] ("full jitter"); never more than `maxDelay`.
  ///
  /// Backoff spaces the *starts* of tries: the time the failed try itself took (`elapsed`) counts toward
  /// the wait, so a try that hung until its timeout is retried at once rather than after a further
  /// backoff. A server's hint counts from its answer and is kept whole.
  /// - Parameters:
  ///   - unit: a uniform number in [0, 1) from the caller's random source.
  ///   - elapsed: how long the failed try took.
  public func delay(beforeRetry retry: Int, hint: Duration?, unit: Double, elapsed: Duration = .zero) -> Duration {
    if let hint { return min(max(hint, .zero), maxDelay) }
    let exponential = baseDelay.inSeconds * pow(2, Double(min(retry, 30)))
    let ceiling = min(exponential, maxDelay.inSeconds)
    let wait = Duration.milliseconds(Int64((ceiling * min(max(unit, 0), 1)) * 1000))
    return max(.zero, wait - elapsed)
  }
}
