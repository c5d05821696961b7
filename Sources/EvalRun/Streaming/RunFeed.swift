import EvalCore
import Foundation

/// Hands runner events to one consumer task without making the runner wait: `yield` never suspends, so
/// encoding `results.jsonl` lines and drawing progress stay off the dispatch path.
struct RunFeed: RunObserver {
  enum Event: Sendable {
    case attempt(AttemptResult, CaseID, Date)
    case finished(CaseResult, Date)
    case waiting(String, Duration)
    /// A case's result as the run hands it over: every case once, skipped ones included.
    case collected(CaseResult)
  }

  let events: AsyncStream<Event>
  private let continuation: AsyncStream<Event>.Continuation
  /// When each event happened.
  private let now: @Sendable () -> Date

  init(now: @escaping @Sendable () -> Date) {
    (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
    self.now = now
  }

  func attemptFinished(_ attempt: AttemptResult, of caseID: CaseID) async {
    continuation.yield(.attempt(attempt, caseID, now()))
  }

  func caseFinished(_ result: CaseResult) async {
    continuation.yield(.finished(result, now()))
  }

  func waiting(for provider: String, duration: Duration) async {
    continuation.yield(.waiting(provider, duration))
  }

  /// Hands a case's result (every case's, once) to the consumer, which keeps it for the reports.
  func collect(_ result: CaseResult) {
    continuation.yield(.collected(result))
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
    }
  }
}
