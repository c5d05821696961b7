import EvalCore

/// Hands runner events to one consumer task without making the runner wait: `yield` never suspends, so
/// encoding `results.jsonl` lines and drawing progress stay off the dispatch path.
struct RunFeed: RunObserver {
  enum Event: Sendable {
    case attempt
    case finished(CaseResult)
    case waiting(String, Duration)
  }

  let events: AsyncStream<Event>
  private let continuation: AsyncStream<Event>.Continuation

  init() {
    (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
  }

  func attemptFinished(_ attempt: AttemptResult, of caseID: CaseID) async {
    continuation.yield(.attempt)
  }

  func caseFinished(_ result: CaseResult) async {
    continuation.yield(.finished(result))
  }

  func waiting(for provider: String, duration: Duration) async {
    continuation.yield(.waiting(provider, duration))
  }

  /// Ends the stream once the run is over.
  func finish() { continuation.finish() }

  /// Drains events into progress and `results.jsonl` until ``finish()``.
  func consume(progress: ProgressDisplay, stream: ResultsStream) async {
    for await event in events {
      switch event {
      case .attempt:
        await progress.sampleFinished()
      case .finished(let result):
        await stream.append(result)
        await progress.caseFinished(result.outcome)
      case .waiting(let provider, let duration):
        let seconds = max(1, Int(duration.inSeconds))
        await progress.setStatus("waiting for rate limit on \(provider) (\(seconds) s)", for: duration)
      }
    }
  }
}
