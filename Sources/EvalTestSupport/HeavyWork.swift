import Foundation

/// Runs CPU-heavy tests on threads of their own instead of Swift's cooperative pool.
///
/// The pool has one thread per core; on a 2-core CI machine two long synchronous scans occupy all of it, and
/// every timer-driven test in the process (timeouts, backoffs, cancellation) then waits minutes for a thread.
/// Work run under ``executor`` time-shares the cores with the pool through the kernel's scheduler instead.
public enum HeavyWork {
  /// Two threads: the heavy suites make progress side by side without queueing behind one another.
  public static let executors = [ThreadExecutor(name: "heavy-1"), ThreadExecutor(name: "heavy-2")]

  /// Runs `body` with its synchronous work on one of ``executors``.
  public static func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
    try await ThreadExecutor.run(onOneOf: executors, body)
  }

  /// CPU seconds the calling thread has used: what a bound on heavy work checks, since wall time on a loaded
  /// machine says little.
  public static func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }
}
