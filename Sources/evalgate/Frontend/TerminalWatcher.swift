import EvalCore
import EvalRun
import Foundation

/// Who watches `evalgate run`'s calls on a terminal: the progress line (none with `--quiet`), counting the
/// calls in flight; Ctrl-C, watched from the first call; and the run's trace (`--otlp-endpoint`).
actor TerminalWatcher: RunWatcher {
  let quiet: Bool
  let telemetry: TelemetryOptions
  let environment: [String: String]
  /// Ctrl-C and SIGTERM, caught once the calls start.
  nonisolated let interrupts = InterruptMonitor()
  private var progress: ProgressDisplay?
  private var tracing: RunTelemetry?

  init(quiet: Bool, telemetry: TelemetryOptions, environment: [String: String]) {
    self.quiet = quiet
    self.telemetry = telemetry
    self.environment = environment
  }

  func callsStart(
    cases: Int, samples: Int, startedAt: Date, providers: [String: any Provider]
  ) -> (listener: any RunListener, providers: [String: any Provider]) {
    let progress = ProgressDisplay(
      totalCases: cases, totalSamples: samples, live: Terminal.stderrIsTTY, enabled: !quiet)
    interrupts.install()
    let tracing = telemetry.tracing(startedAt: startedAt, environment: environment)
    (self.progress, self.tracing) = (progress, tracing)
    return (TerminalListener(progress: progress, tracer: tracing?.tracer), progress.gauge.wrap(providers))
  }

  func callsEnded() async { await progress?.finish() }

  func concluded(_ report: RunReport) async { await tracing?.finish(report) }
}
