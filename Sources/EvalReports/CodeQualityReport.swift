import EvalCore
import Foundation

/// `gl-code-quality.json`: GitLab's Code Quality format, so a merge request marks the suite-YAML line of
/// each failing case and each case that regressed from the baseline.
public enum CodeQualityReport {
  /// The JSON bytes (a list of issues, sorted, stable fingerprints).
  public static func render(_ report: RunReport) throws -> [UInt8] {
    var issues: [JSONValue] = []
    func issue(_ check: String, _ description: String, _ severity: String, file: String, line: Int?, id: CaseID) {
      issues.append([
        "type": "issue", "check_name": .string(check), "description": .string(String(description.prefix(500))),
        "severity": .string(severity), "fingerprint": .string("\(check):\(id.rawValue)"),
        "location": ["path": .string(file), "lines": ["begin": .number(Double(line ?? 1))]],
      ])
    }
    for c in report.cases where c.outcome == .failed || c.outcome == .errored {
      issue(
        c.outcome == .failed ? "evalgate-failed" : "evalgate-errored",
        "\(c.suite): \(c.title) [\(c.provider)] " + (c.outcome == .failed ? "failed" : "errored"),
        c.outcome == .failed ? "major" : "minor", file: c.file, line: c.line, id: c.id)
    }
    for r in report.verdict?.regressions ?? [] {
      issue(
        "evalgate-regressed",
        "\(r.suite): \(r.title) regressed from the baseline: passed \(Verdict.percent(r.baselinePass)) → \(Verdict.percent(r.candidatePass))",
        "critical", file: r.file, line: r.line, id: r.id)
    }
    return Array((JSONValue.array(issues).canonicalJSON + "\n").utf8)
  }
}
