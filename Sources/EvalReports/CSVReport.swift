import EvalCore
import Foundation

/// The run as CSV, one row per sample, for promptfoo's `outputPath: results.csv`: suite, test, prompt,
/// provider, vars (JSON), output, outcome, score, and the failed assertions' reasons. RFC 4180 quoting; a
/// cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@` first) is prefixed with `'`.
public enum CSVReport {
  /// The header row's columns.
  public static let columns = ["suite", "test", "prompt", "provider", "vars", "output", "outcome", "score", "reason"]

  /// The CSV text.
  public static func render(_ report: RunReport) -> String {
    var out = columns.joined(separator: ",") + "\r\n"
    for c in report.cases {
      for a in c.attempts {
        let reason =
          a.error.map { "\($0.typeName): \($0.message)" }
          ?? a.assertions.flatMap(\.failedLeaves).map { "\($0.type): \($0.reason)" }.joined(separator: "; ")
        let row = [
          c.suite, c.title, c.prompt, c.provider, JSONValue.object(c.vars).canonicalJSON, a.output ?? "",
          a.outcome.rawValue, a.score.map { JSONValue.format($0) } ?? "", reason,
        ]
        out += row.map(cell).joined(separator: ",") + "\r\n"
      }
    }
    return out
  }

  static func cell(_ text: String) -> String {
    var text = text
    if let first = text.first, "=+-@".contains(first) { text = "'" + text }
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
