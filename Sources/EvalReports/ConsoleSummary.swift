import EvalCore
import Foundation

/// The short text printed at the end of a run: the decision that sets the exit code first, then per-suite
/// counts, the first failures with their locations, totals and latency per provider.
public struct ConsoleSummary: Sendable {
  /// Whether to use ANSI colours.
  public var color: Bool
  /// How many failing cases to list.
  public var maxListed: Int
  /// Also list the cases that passed (`--verbose`).
  public var listPassed = false

  /// Creates a summary renderer.
  public init(color: Bool, maxListed: Int = 10) {
    self.color = color
    self.maxListed = maxListed
  }

  /// The suites whose cases use more than one prompt.
  static func suitesWithSeveralPrompts(_ cases: some Sequence<CaseResult>) -> Set<String> {
    var first: [String: String] = [:]
    var several: Set<String> = []
    for c in cases {
      if let seen = first[c.suite] {
        if seen != c.prompt { several.insert(c.suite) }
      } else {
        first[c.suite] = c.prompt
      }
    }
    return several
  }

  /// Only the decision's line (`--quiet`).
  public func gateLine(_ report: RunReport) -> String {
    headline(report.effectiveDecision) + "\n"
  }

  /// The decision's line, its word coloured.
  func headline(_ d: RunDecision) -> String {
    let color: Color =
      switch d.status {
      case .passed, .promote: .green
      case .failed, .rollback: .red
      case .hold, .couldNotEvaluate, .interrupted: .yellow
      }
    return "\(paint(d.word, color)): \(TextSanitizer.line(d.reason, limit: 1000))"
  }

  /// The summary text, ending with a newline.
  public func render(_ report: RunReport, outputDir: String?) -> String {
    var out = headline(report.effectiveDecision) + "\n"
    for s in report.suites {
      let m = s.summary
      out +=
        "\(s.id): \(paint("\(m.passed) passed", .green)), \(paint("\(m.failed) failed", m.failed > 0 ? .red : nil)), "
      out += "\(paint("\(m.errored) errored", m.errored > 0 ? .yellow : nil))"
      out += m.skipped > 0 ? ", \(m.skipped) skipped" : ""
      out += "  (\(s.file))\n"
    }
    for r in report.retrieval ?? [] {
      let gates = Dictionary(r.gates.map { ($0.metric, $0) }, uniquingKeysWith: { a, _ in a })
      let shown = r.measures.prefix(8).map { m -> String in
        let value = "\(m) \(RetrievalResult.format(r.means[m] ?? 0))"
        guard let g = gates[m] else { return value }
        return g.passed ? paint(value, .green) : paint(value, .red)
      }
      out += "retrieval \(r.fixture): \(shown.joined(separator: ", "))"
      out += "  (\(r.counts.queries) queries, \(r.file))\n"
      for line in r.failures { out += "  " + paint("✗", .red) + " \(line)\n" }
    }
    // Read as listed (each whole, from its kept line in a large run), never all at once: a run against a down
    // endpoint may have a million.
    let bad = report.cases.failures
    // A case's prompt is named only where its suite has several, so the lines of one test sent with two
    // prompts (or to two providers) tell apart.
    // Read only when a case is listed: a passing run without `--verbose` lists none.
    let multiPrompt =
      bad.isEmpty && !listPassed ? [] : ConsoleSummary.suitesWithSeveralPrompts(report.cases)
    let origin = { (c: CaseResult) -> String in
      let provider = TextSanitizer.line(c.provider)
      guard multiPrompt.contains(c.suite) else { return "[\(provider)]" }
      return "[prompt \(TextSanitizer.line(c.prompt, limit: 60)) · \(provider)]"
    }
    if listPassed {
      for c in report.cases where c.outcome == .passed {
        out += "\(paint("PASS", .green)) \(TextSanitizer.line(c.file)):\(c.line.map(String.init) ?? "?"): "
        out += "\(TextSanitizer.line(c.title)) \(origin(c))\n"
      }
    }
    if !bad.isEmpty { out += "\n" }
    for c in bad.prefix(maxListed) {
      let mark = c.outcome == .failed ? paint("FAIL", .red) : paint("ERROR", .yellow)
      let line = TextSanitizer.line(CaseMessages.headline(c), limit: 160)
      out +=
        "\(mark) \(TextSanitizer.line(c.file)):\(c.line.map(String.init) ?? "?"): \(TextSanitizer.line(c.title)) "
        + "\(origin(c))\n     \(line)\n"
    }
    if bad.count > maxListed { out += "… and \(bad.count - maxListed) more (see results.json)\n" }
    if let first = bad.first {
      out += "why: evalgate explain \(first.id.rawValue)  (messages, output, every assertion)\n"
    }
    let t = report.summary
    let units = RunUnits(report)
    out += "\n\(units.casesText): \(t.passed) passed, \(t.failed) failed, \(t.errored) errored, \(t.skipped) skipped"
    out += " in \(String(format: "%.2f", report.durationSeconds)) s"
    out += RunSummaryText.usage(t).map { "; \($0)" }.joined()
    out += "\n"
    if let retrieval = units.retrievalText { out += "\(retrieval); junit.xml counts \(units.junitText)\n" }
    for p in report.providers where p.samples > 0 {
      let ms = { (x: Double?) in x.map { "\(Int($0.rounded())) ms" } ?? "–" }
      out += "\(p.provider): p50 \(ms(p.latencyP50Ms)), p90 \(ms(p.latencyP90Ms)), p99 \(ms(p.latencyP99Ms))"
      if let ttft = p.timeToFirstTokenP50Ms { out += ", first token p50 \(ms(ttft))" }
      out += "; \(p.errors) of \(p.samples) errored"
      if !p.errorsByType.isEmpty {
        out +=
          " (" + p.errorsByType.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
          + ")"
      }
      out += "; \(p.retries) retries"
      if p.cacheHits > 0 { out += "; \(p.cacheHits) from cache" }
      out += "\n"
    }
    // With a baseline the verdict decides; the plain gate's reading is information, not a second decision.
    if DecisionText.showsGateBesideVerdict(report) {
      out += "cases: \(report.gate.reason); the comparison with the baseline decides\n"
    }
    if let outputDir {
      out +=
        "reports in \(outputDir)/ (junit.xml, results.json, results.jsonl, summary.md, report.html, gl-code-quality.json)\n"
    }
    // A green run with nothing to compare with: the step that makes later runs comparable.
    if let outputDir, report.verdict == nil, t.failed == 0, t.errored == 0, t.passed > 0, !report.interrupted {
      out +=
        "next: evalgate baseline accept \(outputDir)/results.json blesses this run; later runs are compared with it\n"
    }
    return out
  }

  enum Color: String {
    case red = "31"
    case green = "32"
    case yellow = "33"
  }

  func paint(_ text: String, _ c: Color?) -> String {
    guard color, let c else { return text }
    return "\u{1B}[\(c.rawValue)m\(text)\u{1B}[0m"
  }
}
