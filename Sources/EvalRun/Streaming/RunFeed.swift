import EvalCore
import Foundation
import Synchronization

/// Hands runner events to one consumer task, so encoding `results.jsonl` lines, rendering report pieces and
/// drawing progress stay off the dispatch path. The runner waits only when the consumer is ``limit``
/// events behind: a backlog of whole results is what a fast endpoint otherwise piles up in memory (about
/// 50 MB at 100,000 cases on a loaded machine, docs/benchmarks.md session 9), and the run cannot end
/// before the consumer does anyway.
final class RunFeed: RunObserver {
  enum Event: Sendable {
    case attempt(AttemptResult, CaseID, Date)
    case finished(CaseResult, Date)
    case waiting(String, Duration)
    /// A case's result as the run hands it over: every case once, skipped ones included.
    case collected(CaseResult)
  }

  /// Events sent and not yet handled, and the senders waiting for room.
  private struct Backlog {
    var count = 0
    var waiting: [CheckedContinuation<Void, Never>] = []
  }

  let events: AsyncStream<Event>
  private let continuation: AsyncStream<Event>.Continuation
  /// When each event happened.
  private let now: @Sendable () -> Date
  /// How far behind the consumer may fall before senders wait.
  let limit: Int
  private let backlog: Mutex<Backlog>

  init(limit: Int = 1024, now: @escaping @Sendable () -> Date) {
    (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
    self.now = now
    self.limit = max(1, limit)
    backlog = Mutex(Backlog())
  }

  func attemptFinished(_ attempt: AttemptResult, of caseID: CaseID) async {
    await send(.attempt(attempt, caseID, now()))
  }

  func caseFinished(_ result: CaseResult) async {
    await send(.finished(result, now()))
  }

  func waiting(for provider: String, duration: Duration) async {
    await send(.waiting(provider, duration))
  }

  /// Hands a case's result (every case's, once) to the consumer, which keeps it for the reports.
  func collect(_ result: CaseResult) async {
    await send(.collected(result))
  }

  /// Queues `event`, first waiting for room while the consumer is ``limit`` events behind.
  private func send(_ event: Event) async {
    if backlog.withLock({ $0.count >= limit }) {
      await withCheckedContinuation { (resume: CheckedContinuation<Void, Never>) in
        let room = backlog.withLock { b -> Bool in
          guard b.count >= limit else { return true }
          b.waiting.append(resume)
          return false
        }
        if room { resume.resume() }
      }
    }
    backlog.withLock { $0.count += 1 }
    continuation.yield(event)
  }

  /// The consumer handled an event: senders waiting go on once the backlog is down to half the limit.
  private func handled() {
    let go = backlog.withLock { b -> [CheckedContinuation<Void, Never>] in
      b.count -= 1
      guard b.count <= limit / 2, !b.waiting.isEmpty else { return [] }
      defer { b.waiting = [] }
      return b.waiting
    }
    for resume in go { resume.resume() }
  }

  /// Ends the stream once the run is over.
  func finish() { continuation.finish() }

  /// Drains events into `results.jsonl` (and the results kept for the reports) and the listener until
  /// ``finish()``; the times are when the runner reported each event.
  func consume(stream: ResultsStream, listener: some RunListener) async {
    for await event in events {
      switch event {
      case .attempt(let attempt, let caseID, let at):
        await listener.sampleFinished(attempt, of: caseID, at: at)
      case .finished(let result, let at):
        await stream.append(result)
        await listener.caseFinished(result, at: at)
      case .collected(let result):
        await stream.collect(result)
      case .waiting(let provider, let duration):
        await listener.waiting(for: provider, duration: duration)
      }
      handled()
    }
  }
}
