import ArgumentParser
import EvalReports

/// `run --help`'s "Where output goes" section: the reports, the console, the history and the trace.
struct RunOutput: ParsableArguments {
  @Option(name: [.customShort("o"), .customLong("output-dir")], help: "Where reports are written (default: reports).")
  var outputDir: String?

  @Option(name: .customLong("junit-profile"), help: "JUnit shape: rich (file/line, properties) or strict.")
  var junitProfile: JUnitReport.Profile?

  @Flag(name: .customLong("quiet"), help: "Print only the gate's line (and the verdict's); no progress.")
  var quiet = false

  @Flag(name: .customLong("verbose"), help: "Also list the cases that passed.")
  var verbose = false

  @OptionGroup var history: HistoryOptions

  @OptionGroup var telemetry: TelemetryOptions
}
