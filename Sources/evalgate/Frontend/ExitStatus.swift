import ArgumentParser
import EvalCore

/// evalgate's exit codes; CI scripts depend on them, so they never change meaning.
enum ExitStatus: Int32 {
  /// The gate passed (or the verdict is PROMOTE).
  case passed = 0
  /// The gate failed (or the verdict is ROLLBACK).
  case gateFailed = 1
  /// Bad flags, config or suite.
  case usage = 2
  /// The verdict is HOLD: a person should look.
  case hold = 3
  /// Nothing could be judged (every call errored, or no case in common with the baseline).
  case couldNotEvaluate = 4
  /// Stopped by Ctrl-C.
  case interrupted = 130

  /// ROLLBACK shares the failed gate's code: CI that fails on 1 keeps failing on a regression.
  static let rollback = ExitStatus.gateFailed

  var exitCode: ExitCode { ExitCode(rawValue) }

  /// The status a run's decision calls for.
  init(_ decision: RunDecision) {
    self = ExitStatus(rawValue: decision.exitCode) ?? .couldNotEvaluate
  }
}
