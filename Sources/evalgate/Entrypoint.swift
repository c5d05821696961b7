import ArgumentParser
import EvalRun
import Foundation

/// Starts evalgate. Kept tiny: `--version` answers before anything else loads, usage errors exit 2.
@main
enum Entrypoint {
  static func main() async {
    PhaseTimer.begin()
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments == ["--version"] {
      print(EvalgateCommand.version)
      return
    }
    do {
      var command = try EvalgateCommand.parseAsRoot(arguments)
      if var command = command as? any AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
    } catch {
      if EvalgateCommand.exitCode(for: error).rawValue == ExitCode.validationFailure.rawValue {
        FileHandle.standardError.write(Data((EvalgateCommand.fullMessage(for: error) + "\n").utf8))
        exit(ExitStatus.usage.rawValue)
      }
      EvalgateCommand.exit(withError: error)
    }
  }
}
