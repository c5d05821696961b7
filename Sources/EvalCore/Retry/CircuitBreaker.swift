import Foundation
import Synchronization

/// Stops calling an endpoint that is plainly down. Connection failures (nothing listening, wrong URL, TLS
/// failure) and timeouts (a server that accepts and never answers, or trickles) count alike: after
/// `threshold` of them in a row the breaker for that provider opens, and every later call fails at once
/// with the last failure's message instead of waiting for its own timeouts and retries. One success
/// closes it again.
///
/// A timeout counts only when its call started after the provider's last success: a call that hung while
/// later calls were answered says nothing about the endpoint now (at the end of a run, the calls left are
/// the hung ones, and their timeouts must not shut the endpoint off for their retries).
///
/// A provider that has not answered once in this run is judged sooner on timeouts: its breaker opens after
/// `min(threshold, concurrency)` timeouts in a row, so a silent server costs one timeout per run even when
/// fewer calls than `threshold` are in flight at once (connection failures are quick, and keep `threshold`). When a breaker opens, the calls still in flight to
/// that provider are told at once (``waitUntilOpen(_:)``), so none waits out its own timeout.
public actor CircuitBreaker {
  /// Consecutive connection failures or timeouts that open a provider's breaker.
  public let threshold: Int
  /// Calls in flight at once; a provider that never answered is judged after this many failures.
  public let concurrency: Int
  private var failures: [String: Int] = [:]
  private var answered: Set<String> = []
  private var lastSuccess: [String: ContinuousClock.Instant] = [:]
  private var openReason: [String: ProviderError] = [:]
  private nonisolated let signals = OpenSignals()

  /// Creates a breaker; `threshold` 0 disables it.
  public init(threshold: Int = 5, concurrency: Int = .max) {
    self.threshold = threshold
    self.concurrency = max(1, concurrency)
  }

  /// The error to fail with when `provider`'s breaker is open, else `nil`.
  public func rejection(for provider: String) -> ProviderError? {
    openReason[provider]
  }

  /// Records the outcome of one try, started at `startedAt` (now when not given).
  public func record(
    _ result: Result<Completion, ProviderError>, for provider: String, label: String,
    startedAt: ContinuousClock.Instant = .now
  ) {
    switch result {
    case .success:
      failures[provider] = 0
      answered.insert(provider)
      lastSuccess[provider] = .now
      openReason[provider] = nil
    case .failure(let error) where error.kind == .timeout && lastSuccess[provider].map({ startedAt < $0 }) == true:
      break  // answered since this call began: not evidence that the endpoint is down
    case .failure(let error) where error.kind == .connection || error.kind == .timeout:
      let n = failures[provider, default: 0] + 1
      failures[provider] = n
      let limit = error.kind == .timeout && !answered.contains(provider) ? min(threshold, concurrency) : threshold
      guard threshold > 0, n >= limit, openReason[provider] == nil else { return }
      let open = ProviderError(
        .unreachable,
        error.kind == .timeout
          ? "\(label) unreachable: \(n) call\(n == 1 ? "" : "s") in a row timed out (\(error.message))"
          : "\(label) unreachable after \(n) consecutive connection failures: \(error.message)")
      openReason[provider] = open
      signals.fire(provider, open)
    case .failure:
      break
    }
  }
}

extension CircuitBreaker {
  /// Returns when `provider`'s breaker opens, with its error; `nil` when the waiting task is cancelled first.
  public nonisolated func waitUntilOpen(_ provider: String) async -> ProviderError? {
    await signals.wait(provider)
  }
}

/// Who waits for which provider's breaker to open. Guarded by a mutex rather than the actor, so a waiter
/// cancelled from a synchronous cancellation handler is resumed at once.
private final class OpenSignals: Sendable {
  private struct State {
    var fired: [String: ProviderError] = [:]
    var waiters: [String: [UInt64: CheckedContinuation<ProviderError?, Never>]] = [:]
    var next: UInt64 = 0
  }
  private let state = Mutex(State())

  func fire(_ provider: String, _ error: ProviderError) {
    let waiting = state.withLock { s in
      s.fired[provider] = error
      return s.waiters.removeValue(forKey: provider) ?? [:]
    }
    for continuation in waiting.values { continuation.resume(returning: error) }
  }

  func wait(_ provider: String) async -> ProviderError? {
    let id = state.withLock { s in
      s.next += 1
      return s.next
    }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<ProviderError?, Never>) in
        let ready: ProviderError?? = state.withLock { s in
          if let fired = s.fired[provider] { return .some(fired) }
          if Task.isCancelled { return .some(nil) }
          s.waiters[provider, default: [:]][id] = continuation
          return .none
        }
        if let ready { continuation.resume(returning: ready) }
      }
    } onCancel: {
      let continuation = state.withLock { s in s.waiters[provider]?.removeValue(forKey: id) }
      continuation?.resume(returning: nil)
    }
  }
}
