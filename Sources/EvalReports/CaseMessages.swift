import EvalCore

/// The words every report uses for a case that did not pass: a one-line headline and a body.
public enum CaseMessages {
  /// One line: what went wrong, with counts when samples disagree.
  public static func headline(_ c: CaseResult) -> String {
    let run = c.attempts.filter { $0.outcome != .skipped }
    switch c.outcome {
    case .passed:
      return "passed"
    case .skipped:
      return c.skipReason ?? "skipped"
    case .failed:
      let failed = run.filter { $0.outcome == .failed }
      let first = failed.last.map(attemptLine) ?? "failed"
      return run.count > 1 ? "failed \(failed.count) of \(run.count) samples: \(first)" : first
    case .errored:
      let errored = run.filter { $0.outcome == .errored }
      let first = errored.last.map(attemptLine) ?? "errored"
      return run.count > 1 ? "errored \(errored.count) of \(run.count) samples: \(first)" : first
    }
  }

  /// A sample's one-line reason: the first failed assertion, or the provider error.
  public static func attemptLine(_ a: AttemptResult) -> String {
    if let error = a.error { return error.description }
    let failed = a.assertions.flatMap(\.failedLeaves)
    guard let first = failed.first else { return a.outcome == .failed ? "score below threshold" : a.outcome.rawValue }
    let more = failed.count > 1 ? " (+\(failed.count - 1) more)" : ""
    return "\(first.type): \(first.reason)\(more)"
  }

  /// Every failed assertion of a sample, one per line, with its file line.
  public static func attemptDetail(_ a: AttemptResult) -> String {
    if let error = a.error { return "sample \(a.index + 1): \(error.description)" }
    var lines = ["sample \(a.index + 1): score \(format(a.score ?? 0))"]
    for r in a.assertions.flatMap(\.failedLeaves) {
      lines.append("  ✗ \(r.type)\(r.line.map { " (line \($0))" } ?? ""): \(r.reason)")
    }
    if let output = a.output { lines.append("  output: \(output)") }
    return lines.joined(separator: "\n")
  }

  /// The body: headline, then each sample that did not pass.
  public static func body(_ c: CaseResult) -> String {
    var text = headline(c) + "\n\ncase \(c.id.rawValue) — \(c.file)\(c.line.map { ":\($0)" } ?? "")\n"
    for a in c.attempts where a.outcome == .failed || a.outcome == .errored {
      text += "\n" + attemptDetail(a) + "\n"
    }
    return text
  }

  static func format(_ x: Double) -> String { JSONValue.format((x * 1000).rounded() / 1000) }
}
