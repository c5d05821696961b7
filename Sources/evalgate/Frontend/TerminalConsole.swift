import EvalCore
import EvalReports
import EvalRun

/// What `evalgate run` says on the terminal: warnings and errors on standard error (credentials redacted),
/// `EVALGATE_TIMINGS` phases, the console summary (`--quiet`: the gate's line; `--verbose`: passed cases
/// too) and the verdict with its Markdown.
struct TerminalConsole: RunConsole {
  var quiet: Bool
  var verbose: Bool
  /// `--seed`, `--markdown`, `--fail-on`.
  var verdict: VerdictOptions

  func say(_ line: String) { Terminal.error(line + "\n") }

  func phase(_ name: String) { PhaseTimer.mark(name) }

  func redact(with redactor: Redactor) { Terminal.redact(with: redactor) }

  func summarize(_ report: RunReport, outputDir: String) {
    var console = ConsoleSummary(color: Terminal.useColor)
    console.listPassed = verbose
    Terminal.output(quiet ? console.gateLine(report) : console.render(report, outputDir: outputDir), terminator: "")
  }

  func publish(_ comparison: Comparison, decision: RunDecision, label: String, outputDir: String) throws {
    var verdict = verdict
    if verdict.markdown == nil { verdict.markdown = outputDir + "/verdict.md" }
    try verdict.publish(comparison, decision: decision, label: label, headline: false)
  }
}
