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
  /// Every event that waited for the listener at once, in the order they happened (the consumer takes what
  /// the runner sent while it was busy): by default, each handed to the method above for its kind. A listener
  /// that only counts takes them in one step (one hop to its actor rather than one an event).
  func heard(_ events: [RunEvent]) async
  /// The executor's clock ticked (every ``RunExecutor/tick``): time to redraw.
  func tick() async
  /// The run was interrupted: calls in flight get `grace` before they are cancelled.
  func interrupted(grace: Duration) async
}

/// Something a ``RunListener`` hears of a run.
public enum RunEvent: Sendable {
  /// A sample of the case ended at the date.
  case sampleFinished(AttemptResult, CaseID, Date)
  /// Every sample of the case ended at the date (after its results.jsonl line was written).
  case caseFinished(CaseResult, Date)
  /// A call to the provider is held back by its rate limit for about the duration.
  case waiting(String, Duration)
}

extension RunListener {
  public func sampleFinished(_ attempt: AttemptResult, of caseID: CaseID, at time: Date) async {}
  public func caseFinished(_ result: CaseResult, at time: Date) async {}
  public func waiting(for provider: String, duration: Duration) async {}
  public func tick() async {}
  public func interrupted(grace: Duration) async {}

  public func heard(_ events: [RunEvent]) async {
    for event in events {
      switch event {
      case .sampleFinished(let attempt, let caseID, let at): await sampleFinished(attempt, of: caseID, at: at)
      case .caseFinished(let result, let at): await caseFinished(result, at: at)
      case .waiting(let provider, let duration): await waiting(for: provider, duration: duration)
      }
    }
  }
}
