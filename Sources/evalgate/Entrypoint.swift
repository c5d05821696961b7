import ArgumentParser
import EvalRun
import Foundation

#if os(Linux)
  import CMalloc
#endif

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
    #if os(Linux)
      // Blocks of 1 MB and more (a history record's bytes, report buffers) are mapped and unmapped on their
      // own rather than kept in glibc's heap once freed: 30 MB less peak at 100,000 cases with history
      // (docs/benchmarks.md, session 9).
      _ = mallopt(M_MMAP_THRESHOLD, 1 << 20)
    #endif
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
