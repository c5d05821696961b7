import Foundation

/// Runs tasks on a dispatch queue of its own rather than on the cooperative pool.
final class QueueExecutor: TaskExecutor {
  private let queue = DispatchQueue(label: "evalgate.load-time-code", attributes: .concurrent)

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    queue.async { job.runSynchronously(on: executor) }
  }
}
