import EvalReports

/// The options of `run` by their old names, whichever help section declares them, so that the code
/// reading them does not depend on how `--help` groups them.
extension RunCommand {
  var config: String? { selection.config }
  var providers: [String] { selection.providers }
  var filters: CaseFilters { selection.filters }
  var shard: String? { selection.shard }
  var repeatCount: Int? { selection.repeatCount }
  var maxCases: Int? { selection.maxCases }
  var resume: String? { selection.resume }

  var outputDir: String? { output.outputDir }
  var junitProfile: JUnitReport.Profile? { output.junitProfile }
  var quiet: Bool { output.quiet }
  var verbose: Bool { output.verbose }
  var history: HistoryOptions { output.history }
  var telemetry: TelemetryOptions { output.telemetry }

  var baseline: String? { gating.baseline }
  var noBaseline: Bool { gating.noBaseline }
  var minPassRate: Double? { gating.minPassRate }
  var verdict: VerdictOptions { gating.verdict }

  var concurrency: Int? { performance.concurrency }
  var noCache: Bool { performance.noCache }
  var cachePath: String { performance.cachePath }
  var cacheTTL: String { performance.cacheTTL }
  var timeout: String? { performance.timeout }
  var maxRetries: Int? { performance.maxRetries }
  var maxCost: Double? { performance.maxCost }
  var maxTokens: Int? { performance.maxTokens }
}
