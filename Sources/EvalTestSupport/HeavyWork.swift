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
    let executor = executors[Int.random(in: 0..<executors.count)]
    return try await withTaskExecutorPreference(executor) { try await body() }
  }

  /// CPU seconds the calling thread has used: what a bound on heavy work checks, since wall time on a loaded
  /// machine says little.
  public static func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }
}

/// A task executor backed by one dedicated thread that runs its jobs in order.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
  private let condition = NSCondition()
  private var jobs: [UnownedJob] = []

  /// Starts the executor's thread.
  public init(name: String) {
    let thread = Thread { [unowned self] in self.loop() }
    thread.name = name
    thread.stackSize = 16 << 20
    thread.start()
  }

  /// Runs `job` on this executor's thread after the jobs before it.
  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    condition.lock()
    jobs.append(job)
    condition.signal()
    condition.unlock()
  }

  private func loop() {
    while true {
      condition.lock()
      while jobs.isEmpty { condition.wait() }
      let job = jobs.removeFirst()
      condition.unlock()
      job.runSynchronously(on: asUnownedTaskExecutor())
    }
  }
}
