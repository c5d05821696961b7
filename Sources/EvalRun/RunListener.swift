import EvalCore
import Foundation

/// Hears a run as it goes (the progress line, a trace), from the one task that drains the runner's events,
/// never on the dispatch path. Every method has an empty default.
public protocol RunListener: Sendable {
  /// A sample ended at `time`.
  func sampleFinished(_ attempt: AttemptResult, of caseID: CaseID, at time: Date) async
  /// Every sample of a case ended, at `time`; once per case, in completion order, after its results.jsonl
  /// line is written.
  func caseFinished(_ result: CaseResult, at time: Date) async
  /// A call is held back by a provider's rate limit for about `duration`.
  func waiting(for provider: String, duration: Duration) async
  /// The executor's clock ticked (every ``RunExecutor/tick``): time to redraw.
  func tick() async
  /// The run was interrupted: calls in flight get `grace` before they are cancelled.
  func interrupted(grace: Duration) async
}

extension RunListener {
  public func sampleFinished(_ attempt: AttemptResult, of caseID: CaseID, at time: Date) async {}
  public func caseFinished(_ result: CaseResult, at time: Date) async {}
  public func waiting(for provider: String, duration: Duration) async {}
  public func tick() async {}
  public func interrupted(grace: Duration) async {}
}
