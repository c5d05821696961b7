import EvalCore
import Foundation

/// At most `size` workers of one language, started when first needed and kept for the whole run. A call
/// takes an idle worker (or waits for one), and gives it back after; a worker that died or timed out is
/// dropped, and the next call starts a fresh one.
actor WorkerPool {
  let language: CodeLanguage
  let size: Int
  private let start: @Sendable () throws -> WorkerProcess
  private var idle: [WorkerProcess] = []
  private var all: [ObjectIdentifier: WorkerProcess] = [:]
  private var waiters: [CheckedContinuation<Void, Never>] = []
  private var closed = false

  init(language: CodeLanguage, size: Int, start: @escaping @Sendable () throws -> WorkerProcess) {
    self.language = language
    self.size = max(1, size)
    self.start = start
  }

  /// Workers started so far and alive.
  var running: Int { all.count }

  /// A worker for one call.
  /// - Throws: ``ProviderError`` when no worker can be started (or the pool was shut down).
  func acquire() async throws -> WorkerProcess {
    while true {
      if closed { throw ProviderError(.cancelled, "the \(language.interpreter) workers were shut down") }
      while let worker = idle.popLast() {
        if worker.isAlive { return worker }
        all[ObjectIdentifier(worker)] = nil
      }
      if all.count < size {
        let worker = try start()
        all[ObjectIdentifier(worker)] = worker
        return worker
      }
      await withCheckedContinuation { waiters.append($0) }
    }
  }

  /// Gives a worker back after a call (a dead one is dropped).
  func release(_ worker: WorkerProcess) {
    if worker.isAlive, !closed {
      idle.append(worker)
    } else {
      all[ObjectIdentifier(worker)] = nil
      worker.shutdown()
    }
    if !waiters.isEmpty { waiters.removeFirst().resume() }
  }

  /// Ends every worker; calls after this fail.
  func shutdown() {
    closed = true
    for worker in all.values { worker.shutdown() }
    all = [:]
    idle = []
    for waiter in waiters { waiter.resume() }
    waiters = []
  }
}
