import EvalCore
import Synchronization

/// Counts the calls in flight and each provider's call time, by wrapping the run's providers: what the
/// progress line shows as "calls in flight" and "slowest". Answers known without a call (the response
/// cache) are passed through uncounted.
final class CallGauge: Sendable {
  private struct State {
    var inFlight = 0
    var calls: [String: (count: Int, seconds: Double)] = [:]
  }
  private let state = Mutex(State())

  /// Calls sent and not yet answered.
  var inFlight: Int { state.withLock { $0.inFlight } }

  /// The provider with the highest mean call time so far.
  var slowest: (label: String, seconds: Double)? {
    state.withLock { s in
      s.calls.map { (label: $0.key, seconds: $0.value.seconds / Double($0.value.count)) }
        .max { ($0.seconds, $1.label) < ($1.seconds, $0.label) }
    }
  }

  /// `providers`, each counted by this gauge.
  func wrap(_ providers: [String: any Provider]) -> [String: any Provider] {
    providers.mapValues { Counted(inner: $0, gauge: self) }
  }

  fileprivate func started() { state.withLock { $0.inFlight += 1 } }

  fileprivate func finished(_ label: String, seconds: Double) {
    state.withLock { s in
      s.inFlight -= 1
      let old = s.calls[label] ?? (0, 0)
      s.calls[label] = (old.count + 1, old.seconds + seconds)
    }
  }
}

/// A provider whose calls a ``CallGauge`` counts.
private struct Counted: Provider {
  let inner: any Provider
  let gauge: CallGauge

  var label: String { inner.label }

  func complete(_ request: CompletionRequest) async throws -> Completion {
    gauge.started()
    let start = ContinuousClock.now
    defer { gauge.finished(inner.label, seconds: (ContinuousClock.now - start).inSeconds) }
    return try await inner.complete(request)
  }

  func knownAnswer(for request: CompletionRequest) -> Completion? { inner.knownAnswer(for: request) }
}
