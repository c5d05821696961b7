import Foundation

/// Receives progress while a run goes on (progress display, streaming `results.jsonl`).
public protocol RunObserver: Sendable {
  /// A sample finished.
  func attemptFinished(_ attempt: AttemptResult, of caseID: CaseID) async
  /// Every sample of a case finished; called once per case, in completion order.
  func caseFinished(_ result: CaseResult) async
  /// A call is held back by a provider's rate limit for about `duration`.
  func waiting(for provider: String, duration: Duration) async
}

extension RunObserver {
  public func attemptFinished(_ attempt: AttemptResult, of caseID: CaseID) async {}
  public func caseFinished(_ result: CaseResult) async {}
  public func waiting(for provider: String, duration: Duration) async {}
}

/// An observer that ignores everything.
public struct SilentObserver: RunObserver {
  /// Creates one.
  public init() {}
}
