import EvalCore

/// `evalgate explain`'s page for one case: what was sent, what came back, every assertion with its reason,
/// the baseline's outcome for the same case and the retry history — what a reviewer needs when a PR goes red.
public enum CaseExplanation {
  /// The baseline side of an explanation.
  public enum BaselineSide: Sendable {
    /// No baseline was looked at.
    case none
    /// The baseline at `source` has no case with this id.
    case missing(source: String)
    /// The baseline at `source` holds this record for the case.
    case found(CaseRecord, source: String)
  }

  /// The page for `c`, compared with `baseline`.
  public static func render(_ c: CaseResult, baseline: BaselineSide) -> String {
    var lines: [String] = []
    lines.append("case \(c.id.rawValue): \(c.title)  [prompt \(c.prompt) · \(c.provider)]")
    lines.append("  suite \(c.suite), \(c.file)\(c.line.map { ":\($0)" } ?? "")")
    let headline = c.outcome == .passed ? "" : " — " + CaseMessages.headline(c)
    lines.append("  outcome: \(c.outcome.rawValue.uppercased())\(headline)")
    if !c.vars.isEmpty {
      lines.append("")
      lines.append("vars:")
      for key in c.vars.keys.sorted() {
        lines.append(indented("\(key) = \(display(c.vars[key] ?? .null))", by: 2))
      }
    }
    lines.append("")
    lines.append("messages sent (\(c.messages.count)):")
    for m in c.messages { lines.append(indented("\(m.role): \(m.content)", by: 2)) }
    for a in c.attempts {
      lines.append("")
      lines.append(contentsOf: sample(a, of: c.attempts.count))
    }
    lines.append("")
    lines.append(contentsOf: baselineLines(c, baseline))
    lines.append("")
    lines.append(contentsOf: retryLines(c.attempts))
    return lines.joined(separator: "\n") + "\n"
  }

  /// The page for a case known only from a baseline file (no messages or outputs are kept there).
  public static func render(_ r: CaseRecord, source: String) -> String {
    var lines = ["case \(r.id.rawValue): \(r.title)  [\(r.provider)]"]
    lines.append("  suite \(r.suite), \(r.file)\(r.line.map { ":\($0)" } ?? "")")
    lines.append("  from the baseline \(source): \(summary(r))")
    for s in r.samples {
      let outcome = s.pass.map { $0 ? "passed" : "failed" } ?? (s.error.map { "errored (\($0))" } ?? "skipped")
      lines.append("  sample \(s.index + 1): \(outcome)\(s.score.map { ", score \(format($0))" } ?? "")")
    }
    lines.append("")
    lines.append("a baseline keeps outcomes and scores only; run the suite and explain from its results for the")
    lines.append("messages, the output and every assertion's reason.")
    return lines.joined(separator: "\n") + "\n"
  }

  static func sample(_ a: AttemptResult, of count: Int) -> [String] {
    var facts = [a.outcome.rawValue]
    if let score = a.score { facts.append("score \(format(score))") }
    facts.append("\(format(a.latencyMs)) ms")
    if a.cached == true { facts.append("from the cache") }
    if let model = a.model { facts.append("model \(model)") }
    if let reason = a.finishReason { facts.append("finish \(reason)") }
    var lines = ["sample \(a.index + 1) of \(count): " + facts.joined(separator: ", ")]
    if let error = a.error {
      lines.append("  \(a.gradingFailed == true ? "grader error" : "error"): \(error.description)")
    }
    if let output = a.output {
      lines.append("  output:")
      lines.append(indented(output, by: 4))
    } else if a.error != nil {
      lines.append("  output: none (the call failed)")
    }
    if a.assertions.isEmpty {
      lines.append("  assertions: none")
    } else {
      lines.append("  assertions:")
      for r in a.assertions { lines.append(contentsOf: assertion(r, depth: 2)) }
    }
    return lines
  }

  static func assertion(_ r: AssertionResult, depth: Int) -> [String] {
    let mark = r.isError ? "!" : (r.pass ? "✓" : "✗")
    var facts = [String]()
    if let line = r.line { facts.append("line \(line)") }
    if r.score != (r.pass ? 1 : 0) { facts.append("score \(format(r.score))") }
    if r.weight != 1 { facts.append("weight \(format(r.weight))") }
    if let metric = r.metric { facts.append("metric \(metric)") }
    let detail = facts.isEmpty ? "" : " (" + facts.joined(separator: ", ") + ")"
    var lines = [indented("\(mark) \(r.type)\(detail): \(r.reason)", by: depth * 2)]
    for child in r.children ?? [] { lines.append(contentsOf: assertion(child, depth: depth + 1)) }
    return lines
  }

  static func baselineLines(_ c: CaseResult, _ side: BaselineSide) -> [String] {
    switch side {
    case .none:
      return ["baseline: none (no baselines/ folder; bless a run with `evalgate baseline accept`)"]
    case .missing(let source):
      return ["baseline (\(source)): no case with this id: new since the baseline was blessed, or its id changed"]
    case .found(let r, let source):
      var lines = ["baseline (\(source)): \(summary(r))"]
      let judged = r.judged.filter { $0.error == nil }
      let before = judged.contains { $0.pass == false } ? Outcome.failed : (judged.isEmpty ? nil : .passed)
      switch (before, c.outcome) {
      case (.passed?, .failed): lines.append("  it passed in the baseline and fails now: a regression")
      case (.failed?, .passed): lines.append("  it failed in the baseline and passes now: fixed")
      case (.passed?, .errored):
        lines.append("  it passed in the baseline; now the endpoint failed, so it was not judged")
      default: break
      }
      return lines
    }
  }

  static func retryLines(_ attempts: [AttemptResult]) -> [String] {
    let retried = attempts.filter { $0.retries > 0 }
    guard !retried.isEmpty else {
      return ["retries: none (every call \(attempts.isEmpty ? "" : "was answered or failed ")on its first try)"]
    }
    var lines = ["retries: \(retried.reduce(0) { $0 + $1.retries }) in all"]
    for a in retried {
      let end =
        a.error.map { "then gave up: \($0.description)" }
        ?? "then answered in \(format(a.latencyMs)) ms"
      var line = "  sample \(a.index + 1): \(a.retries) failed tr\(a.retries == 1 ? "y" : "ies") retried, \(end)"
      if let wait = a.error?.retryAfterMs { line += " (server asked to wait \(format(wait)) ms)" }
      lines.append(line)
    }
    return lines
  }

  /// "passed 3 of 3 samples, mean score 1".
  static func summary(_ r: CaseRecord) -> String {
    let judged = r.judged.filter { $0.error == nil }
    let passed = judged.filter { $0.pass == true }.count
    let errored = r.samples.filter { $0.error != nil }.count
    var text = "passed \(passed) of \(judged.count) judged sample\(judged.count == 1 ? "" : "s")"
    if errored > 0 { text += ", \(errored) errored" }
    let scores = judged.compactMap(\.score)
    if !scores.isEmpty { text += ", mean score \(format(scores.reduce(0, +) / Double(scores.count)))" }
    return text
  }

  static func display(_ v: JSONValue) -> String { v.stringValue ?? v.canonicalJSON }

  static func indented(_ text: String, by n: Int) -> String {
    let pad = String(repeating: " ", count: n)
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n")
  }

  static func format(_ x: Double) -> String { JSONValue.format((x * 1000).rounded() / 1000) }
}
