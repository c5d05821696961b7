import EvalCore
import EvalTelemetry
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

  init() {
    (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
  }

  func attemptFinished(_ attempt: AttemptResult, of caseID: CaseID) async {
    continuation.yield(.attempt(attempt, caseID, Date()))
  }

  func caseFinished(_ result: CaseResult) async {
    continuation.yield(.finished(result, Date()))
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

  /// Drains events into progress, `results.jsonl` (and the results kept for the reports) and the trace
  /// (when one is kept) until ``finish()``; the times are when the runner reported each event.
  func consume(progress: ProgressDisplay, stream: ResultsStream, tracer: RunTracer? = nil) async {
    for await event in events {
      switch event {
      case .attempt(let attempt, let caseID, let at):
        await tracer?.callFinished(attempt, of: caseID, at: at)
        await progress.sampleFinished()
      case .finished(let result, let at):
        await tracer?.caseFinished(result, at: at)
        await stream.append(result)
        await progress.caseFinished(result.outcome)
      case .collected(let result):
        await stream.collect(result)
      case .waiting(let provider, let duration):
        let seconds = max(1, Int(duration.inSeconds))
        await progress.setStatus("waiting for rate limit on \(provider) (\(seconds) s)", for: duration)
      }
    }
  }
}
