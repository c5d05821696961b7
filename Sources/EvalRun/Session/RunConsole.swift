import EvalCore
import Foundation

/// What a run says to the person who started it, and how: its warnings and errors, the phases it times,
/// the summary once the reports are written and the verdict against the baseline. The executable writes
/// them to the terminal; a test keeps them. Only ``say(_:)`` and ``summarize(_:outputDir:)`` must be given.
public protocol RunConsole: Sendable {
  /// One line for standard error (a warning, an error, a note), without its newline.
  func say(_ line: String)
  /// A phase of the run ended (`EVALGATE_TIMINGS`).
  func phase(_ name: String)
  /// The run's credentials: kept out of everything said from now on.
  func redact(with redactor: Redactor)
  /// The reports are written in `outputDir`: the run's summary (or only its gate line).
  func summarize(_ report: RunReport, outputDir: String)
  /// The comparison with the baseline (`label`: what it was against) decided the run: the verdict is
  /// shown and its Markdown written (`outputDir`'s verdict.md unless asked elsewhere).
  /// - Throws: when the Markdown cannot be written; the run then could not be evaluated.
  func publish(_ comparison: Comparison, decision: RunDecision, label: String, outputDir: String) throws
}

extension RunConsole {
  public func phase(_ name: String) {}
  public func redact(with redactor: Redactor) {}
  public func publish(_ comparison: Comparison, decision: RunDecision, label: String, outputDir: String) throws {}
}
