/// Runs tests whose deadlines start before an `await` on threads of their own instead of Swift's cooperative pool.
///
/// Swift Testing starts every test at once, and the pool's queue is first in, first out: on a 2-core CI machine a
/// continuation waits behind every job queued before it, which early in a full run is minutes of other suites'
/// work. CI saw a loopback call resume after its connect more than 120 s late, past a deadline set before the
/// connect, and fail as timed out (`PlainHTTPClientTests`). Jobs under ``executors`` skip that queue; the
/// kernel shares the cores between them and the pool.
public enum TimedWork {
  /// Two threads, so that one slow suite does not hold up the others.
  public static let executors = [ThreadExecutor(name: "timed-1"), ThreadExecutor(name: "timed-2")]

  /// Runs `body` with its synchronous work on one of ``executors``.
  public static func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
    try await ThreadExecutor.run(onOneOf: executors, body)
  }
}
