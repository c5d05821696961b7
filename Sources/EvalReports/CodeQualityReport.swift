import EvalCore
import Foundation

/// `gl-code-quality.json`: GitLab's Code Quality format, so a merge request marks the suite-YAML line of
/// each failing case and each case that regressed from the baseline.
public enum CodeQualityReport {
  /// The JSON bytes (a list of issues, sorted, stable fingerprints).
  public static func render(_ report: RunReport) throws -> [UInt8] {
    var out: [UInt8] = []
    try write(report) { out += $0 }
    return out
  }

  /// ``render(_:)``'s bytes handed to `sink` a piece at a time: a run against a down endpoint has an issue per
  /// case, and a million of them are never held at once.
  /// - Throws: what `sink` throws.
  public static func write(_ report: RunReport, to sink: ([UInt8]) throws -> Void) throws {
    var out = "["
    var first = true
    func issue(_ check: String, _ description: String, _ severity: String, file: String, line: Int?, id: CaseID)
      throws
    {
      let value: JSONValue = [
        "type": "issue", "check_name": .string(check), "description": .string(String(description.prefix(500))),
        "severity": .string(severity), "fingerprint": .string("\(check):\(id.rawValue)"),
        "location": ["path": .string(file), "lines": ["begin": .number(Double(line ?? 1))]],
      ]
      if !first { out += "," }
      first = false
      out += value.canonicalJSON
      if out.utf8.count >= 1 << 16 {
        try sink(Array(out.utf8))
        out = ""
      }
    }
    // The outcome is read without unpacking a case: only the failing ones are.
    let cases = report.cases
    for i in cases.indices where cases.outcome(at: i) == .failed || cases.outcome(at: i) == .errored {
      let c = cases[i]
      try issue(
        c.outcome == .failed ? "evalgate-failed" : "evalgate-errored",
        "\(c.suite): \(c.title) [\(c.provider)] " + (c.outcome == .failed ? "failed" : "errored"),
        c.outcome == .failed ? "major" : "minor", file: c.file, line: c.line, id: c.id)
    }
    for r in report.verdict?.regressions ?? [] {
      try issue(
        "evalgate-regressed",
        "\(r.suite): \(r.title) regressed from the baseline: passed \(Verdict.percent(r.baselinePass)) → \(Verdict.percent(r.candidatePass))",
        "critical", file: r.file, line: r.line, id: r.id)
    }
    out += "]\n"
    try sink(Array(out.utf8))
  }
}
