import ArgumentParser
import EvalRun

extension ExitStatus {
  /// The status as ArgumentParser's exit code, to throw from a command.
  var exitCode: ExitCode { ExitCode(rawValue) }
}
