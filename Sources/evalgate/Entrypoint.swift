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
      // Two heaps, not one per thread that ever contends (up to 8 per core): the run's threads (NIO's event
      // loops, the task pool, SQLite's and git's) each left a 4–5 MB heap of their own. 2.5–5 MB less peak at
      // 1,000 cases and C = 64 and at 100,000 cases, the same wall time (docs/benchmarks.md, session 11).
      _ = mallopt(M_ARENA_MAX, 2)
    #endif
    do {
      var command = try Self.parse(arguments)
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

  /// The command `arguments` ask for. `run` is parsed as a command of its own first: the root's tree of twelve
  /// subcommands was built and parsed on the way, every run. Anything that does not parse so (help, a usage
  /// error, the completion script) is parsed from the root again, which says it as `evalgate run` would.
  static func parse(_ arguments: [String]) throws -> any ParsableCommand {
    if arguments.first == RunCommand.configuration.commandName,
      let run = try? RunCommand.parseAsRoot(Array(arguments.dropFirst())) as? RunCommand
    {
      return run
    }
    return try EvalgateCommand.parseAsRoot(arguments)
  }
}
