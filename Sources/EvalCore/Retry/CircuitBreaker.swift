import Foundation

/// Stops calling an endpoint that is plainly down. After `threshold` consecutive connection failures
/// (nothing listening, wrong URL, TLS failure) the breaker for that provider opens, and every later
/// call fails at once with the last failure's message instead of waiting for its own timeouts and
/// retries. One success closes it again.
public actor CircuitBreaker {
  /// Consecutive connection failures that open a provider's breaker.
  public let threshold: Int
  private var failures: [String: Int] = [:]
  private var openReason: [String: ProviderError] = [:]

  /// Creates a breaker; `threshold` 0 disables it.
  public init(threshold: Int = 5) {
    self.threshold = threshold
  }

  /// The error to fail with when `provider`'s breaker is open, else `nil`.
  public func rejection(for provider: String) -> ProviderError? {
    openReason[provider]
  }

  /// Records the outcome of one try.
  public func record(_ result: Result<Completion, ProviderError>, for provider: String, label: String) {
    switch result {
    case .success:
      failures[provider] = 0
      openReason[provider] = nil
    case .failure(let error) where error.kind == .connection:
      let n = failures[provider, default: 0] + 1
      failures[provider] = n
      if threshold > 0, n >= threshold, openReason[provider] == nil {
        openReason[provider] = ProviderError(
          .unreachable, "\(label) unreachable after \(n) consecutive connection failures: \(error.message)")
      }
    case .failure:
      break
    }
  }
}
