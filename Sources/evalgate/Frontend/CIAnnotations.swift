import EvalCore
import EvalReports
import EvalRun
import Foundation

/// What a run tells the CI system it runs in: on GitHub Actions, `::error` annotations at the suite-YAML
/// line of the first failures, and the Markdown summary appended to `$GITHUB_STEP_SUMMARY`.
struct CIAnnotations: Reporter {
  let artifact = "CI annotations"
  var environment: [String: String] = ProcessInfo.processInfo.environment

  /// GitHub shows at most 10 error annotations per step.
  static let maxAnnotations = 10

  func finish(_ run: FinishedRun) async throws {
    guard environment["GITHUB_ACTIONS"] == "true" else { return }
    Self.publish(
      run.report, summary: RunSummaryMarkdown().markdown(run.report, trends: run.trends), environment: environment)
  }

  static func publish(_ report: RunReport, summary: String, environment: [String: String]) {
    // Only the first are read (each whole, from its kept line in a large run).
    for c in report.cases.failures.prefix(maxAnnotations) {
      let why =
        c.attempts.last { $0.outcome == c.outcome }.map { a in
          a.error.map { "\($0.typeName): \($0.message)" }
            ?? a.assertions.filter { !$0.pass }.map { "\($0.type): \($0.reason)" }.joined(separator: "; ")
        } ?? c.outcome.rawValue
      Terminal.output(
        "::error file=\(property(c.file)),line=\(c.line ?? 1),title=\(property("evalgate: \(c.title)"))::"
          + message(why))
    }
    if let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty, let handle = FileHandle(forWritingAtPath: path) {
      handle.seekToEndOfFile()
      handle.write(Data((summary + "\n").utf8))
      try? handle.close()
    }
  }

  /// GitHub's workflow-command escaping of a message, controls and bidi overrides shown visibly first.
  static func message(_ s: String) -> String {
    TextSanitizer.visible(TextSanitizer.stripANSI(s)).replacingOccurrences(of: "%", with: "%25")
      .replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
  }

  /// … and of a property value.
  static func property(_ s: String) -> String {
    message(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
  }
}
