import EvalCore
import EvalRun
import Foundation

/// `evalgate run` on a terminal: the use case (``GatedRun``) with the terminal's console, the progress line
/// and the trace, Ctrl-C, the history and the CI annotations.
struct RunSession {
  let options: RunCommand
  /// The run's flags, resolved.
  let runPlan: RunPlan
  let environment = ProcessInfo.processInfo.environment

  func run() async -> ExitStatus {
    let watcher = TerminalWatcher(quiet: options.quiet, telemetry: options.telemetry, environment: environment)
    let interrupts = watcher.interrupts
    var run = GatedRun(
      plan: runPlan, environment: environment, version: EvalgateCommand.version, hostname: Terminal.hostname,
      console: TerminalConsole(quiet: options.quiet, verbose: options.verbose, verdict: options.verdict),
      watcher: watcher,
      history: RunHistoryHook(
        hook: HistoryHook(options: options.history, configPath: options.config, environment: environment)),
      interrupted: { interrupts.interrupted })
    run.reporters = [CIAnnotations(environment: environment)]
    // The run's results, kept report pieces and report are not freed one by one before the process ends
    // (docs/benchmarks.md, session 23); standard output is flushed by exit(3).
    run.ended = { Foundation.exit($0.status.rawValue) }
    return await run.run().status
  }
}
