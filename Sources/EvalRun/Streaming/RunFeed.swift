import EvalCore
import Foundation
import Synchronization

/// Hands runner events to one consumer task, so encoding `results.jsonl` lines, rendering report pieces and
/// drawing progress stay off the dispatch path. The runner waits only when the consumer is ``limit``
/// events behind: a backlog of whole results is what a fast endpoint otherwise piles up in memory (about
/// 50 MB at 100,000 cases on a loaded machine, docs/benchmarks.md session 9), and the run cannot end
/// before the consumer does anyway.
///
/// The consumer takes every event waiting at once (``next()``), under the one lock a sender takes: an
/// `AsyncStream` took its own lock and an async step per event besides the backlog's (3.6 % of a 0 ms run's
/// CPU, three events a case; docs/benchmarks.md, session 13).
final class RunFeed: RunObserver {
  enum Event: Sendable {
    case attempt(AttemptResult, CaseID, Date)
    case finished(CaseResult, Date)
    case waiting(String, Duration)
    /// A case's result as the run hands it over: every case once, skipped ones included.
    case collected(CaseResult)
  }

  /// Events sent and not yet taken, the consumer when it waits for them, the senders waiting for room.
  private struct Queue {
    var events: [Event] = []
    /// Events taken by the consumer and not yet handled.
    var handling = 0
    var consumer: CheckedContinuation<[Event], Never>?
    var senders: [CheckedContinuation<Void, Never>] = []
    var finished = false

    var backlog: Int { events.count + handling }
  }

  /// When each event happened.
  private let now: @Sendable () -> Date
  /// How far behind the consumer may fall before senders wait.
  let limit: Int
  private let queue: Mutex<Queue>

  init(limit: Int = 1024, now: @escaping @Sendable () -> Date) {
    self.now = now
    self.limit = max(1, limit)
    queue = Mutex(Queue())
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
    if queue.withLock({ $0.backlog >= limit }) {
      await withCheckedContinuation { (resume: CheckedContinuation<Void, Never>) in
        let room = queue.withLock { q -> Bool in
          guard q.backlog >= limit else { return true }
          q.senders.append(resume)
          return false
        }
        if room { resume.resume() }
      }
    }
    let consumer = queue.withLock { q -> CheckedContinuation<[Event], Never>? in
      q.events.append(event)
      guard let consumer = q.consumer else { return nil }
      q.consumer = nil
      return consumer
    }
    consumer?.resume(returning: take())
  }

  /// Every event waiting, handed to the consumer (counted as being handled); none once finished and drained.
  private func take() -> [Event] {
    queue.withLock { q in
      defer { q.events = [] }
      q.handling += q.events.count
      return q.events
    }
  }

  /// The next events in the order they were sent, waiting for some; empty once ``finish()`` was called and every
  /// event was taken.
  func next() async -> [Event] {
    await withCheckedContinuation { (consumer: CheckedContinuation<[Event], Never>) in
      let ready = queue.withLock { q -> Bool in
        guard q.events.isEmpty, !q.finished else { return true }
        q.consumer = consumer
        return false
      }
      if ready { consumer.resume(returning: take()) }
    }
  }

  /// The consumer handled `count` events: senders waiting go on once the backlog is down to half the limit.
  private func handled(_ count: Int) {
    let go = queue.withLock { q -> [CheckedContinuation<Void, Never>] in
      q.handling -= count
      guard q.backlog <= limit / 2, !q.senders.isEmpty else { return [] }
      defer { q.senders = [] }
      return q.senders
    }
    for resume in go { resume.resume() }
  }

  /// Ends the feed once the run is over: the consumer takes what is left, then stops.
  func finish() {
    let consumer = queue.withLock { q -> CheckedContinuation<[Event], Never>? in
      q.finished = true
      defer { q.consumer = nil }
      return q.consumer
    }
    consumer?.resume(returning: take())
  }

  /// Drains events into `results.jsonl` (and the results kept for the reports) and the listener until
  /// ``finish()``; the times are when the runner reported each event. Each batch taken goes to the stream in one
  /// step (its finished cases written to results.jsonl and the scratch file in one write each, then the cases
  /// collected), then to the listener in one step: a step an event was an actor hop each, and two writes a case
  /// (docs/benchmarks.md, session 14).
  func consume(stream: ResultsStream, listener: some RunListener) async {
    var finished: [CaseResult] = []
    var collected: [CaseResult] = []
    var heard: [RunEvent] = []
    while case let batch = await next(), !batch.isEmpty {
      for event in batch {
        switch event {
        case .attempt(let attempt, let caseID, let at):
          heard.append(.sampleFinished(attempt, caseID, at))
        case .finished(let result, let at):
          finished.append(result)
          heard.append(.caseFinished(result, at))
        case .collected(let result):
          collected.append(result)
        case .waiting(let provider, let duration):
          heard.append(.waiting(provider, duration))
        }
      }
      // A case is collected after it finished (the runner sends them in that order), so every case collected
      // here finished in this batch or an earlier one.
      await stream.take(finished: finished, collected: collected)
      await listener.heard(heard)
      finished.removeAll(keepingCapacity: true)
      collected.removeAll(keepingCapacity: true)
      heard.removeAll(keepingCapacity: true)
      handled(batch.count)
    }
  }
}
