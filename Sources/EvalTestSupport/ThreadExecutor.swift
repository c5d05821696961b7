import Foundation

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

  /// Runs `body` with its synchronous work on one of `executors`, picked at random.
  public static func run<T: Sendable>(onOneOf executors: [ThreadExecutor], _ body: @Sendable () async throws -> T)
    async rethrows -> T
  {
    let executor = executors[Int.random(in: 0..<executors.count)]
    return try await withTaskExecutorPreference(executor) { try await body() }
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
