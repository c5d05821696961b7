import ArgumentParser

/// evalgate's exit codes; CI scripts depend on them, so they never change meaning.
enum ExitStatus: Int32 {
  /// The gate passed.
  case passed = 0
  /// The gate failed.
  case gateFailed = 1
  /// Bad flags, config or suite.
  case usage = 2
  /// Nothing could be judged (every call errored).
  case couldNotEvaluate = 4
  /// Stopped by Ctrl-C.
  case interrupted = 130

  var exitCode: ExitCode { ExitCode(rawValue) }
}
