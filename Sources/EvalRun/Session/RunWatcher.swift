import EvalCore
import Foundation

/// Who watches a run's calls as they go (the progress line, a trace), set up once the cases to call are
/// known. Every method but ``callsStart(cases:samples:startedAt:providers:)`` has an empty default.
public protocol RunWatcher: Sendable {
  /// The calls start: `cases` cases of `samples` samples (those a resumed run carried left out), in a run
  /// that started at `startedAt`. Returns who hears the calls and the providers to call: `providers`, or
  /// each wrapped (to count the calls in flight).
  func callsStart(
    cases: Int, samples: Int, startedAt: Date, providers: [String: any Provider]
  ) async -> (listener: any RunListener, providers: [String: any Provider])
  /// Every call ended, before the reports are written (a live progress line is cleared).
  func callsEnded() async
  /// The run's report is final, its decision taken (a trace is exported), before the history records it.
  func concluded(_ report: RunReport) async
}

extension RunWatcher {
  public func callsEnded() async {}
  public func concluded(_ report: RunReport) async {}
}
