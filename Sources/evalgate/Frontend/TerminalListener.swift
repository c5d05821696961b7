import EvalCore
import EvalRun
import EvalTelemetry
import Foundation
import Synchronization

#if os(Linux)
  import CMalloc
#endif

/// What the terminal and a trace hear of a run: the progress line, and each call and case as a span.
struct TerminalListener: RunListener {
  let progress: ProgressDisplay
  let tracer: RunTracer?
  /// Ticks so far.
  private let ticks = Counter()

  /// A count the ticker bumps.
  final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).newValue }
  }

  func sampleFinished(_ attempt: AttemptResult, of caseID: CaseID, at time: Date) async {
    await tracer?.callFinished(attempt, of: caseID, at: time)
    await progress.sampleFinished()
  }

  func caseFinished(_ result: CaseResult, at time: Date) async {
    await tracer?.caseFinished(result, at: time)
    await progress.caseFinished(result.outcome)
  }

  /// Traces each event and counts them all into the progress line in one step.
  func heard(_ events: [RunEvent]) async {
    var samples = 0
    var outcomes: [Outcome] = []
    for event in events {
      switch event {
      case .sampleFinished(let attempt, let caseID, let at):
        samples += 1
        await tracer?.callFinished(attempt, of: caseID, at: at)
      case .caseFinished(let result, let at):
        outcomes.append(result.outcome)
        await tracer?.caseFinished(result, at: at)
      case .waiting(let provider, let duration):
        await waiting(for: provider, duration: duration)
      }
    }
    await progress.finished(samples: samples, outcomes: outcomes)
  }

  func waiting(for provider: String, duration: Duration) async {
    let seconds = max(1, Int(duration.inSeconds))
    await progress.setStatus("waiting for rate limit on \(provider) (\(seconds) s)", for: duration)
  }

  func tick() async {
    await progress.tick()
    #if os(Linux)
      // Every 2 s, glibc hands the free pages inside its heap back to the system: a large run frees a result's
      // transient memory between the long-lived rows it keeps, which otherwise stays resident.
      if ticks.next() % 8 == 0 { _ = malloc_trim(0) }
    #endif
  }

  func interrupted(grace: Duration) async {
    await progress.setStatus("interrupted: waiting up to \(Runner.describe(grace)) for calls in flight")
  }
}
