import EvalCore
import EvalRun
import EvalTelemetry
import Foundation

/// What the terminal and a trace hear of a run: the progress line, and each call and case as a span.
struct TerminalListener: RunListener {
  let progress: ProgressDisplay
  let tracer: RunTracer?

  func sampleFinished(_ attempt: AttemptResult, of caseID: CaseID, at time: Date) async {
    await tracer?.callFinished(attempt, of: caseID, at: time)
    await progress.sampleFinished()
  }

  func caseFinished(_ result: CaseResult, at time: Date) async {
    await tracer?.caseFinished(result, at: time)
    await progress.caseFinished(result.outcome)
  }

  func waiting(for provider: String, duration: Duration) async {
    let seconds = max(1, Int(duration.inSeconds))
    await progress.setStatus("waiting for rate limit on \(provider) (\(seconds) s)", for: duration)
  }

  func tick() async { await progress.tick() }

  func interrupted(grace: Duration) async {
    await progress.setStatus("interrupted: waiting up to \(Runner.describe(grace)) for calls in flight")
  }
}
