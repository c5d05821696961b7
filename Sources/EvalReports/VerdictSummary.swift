import EvalCore

/// The comparison for people: a Markdown summary (job summaries, PR comments) and a console text.
/// Regressions come first; model-written text is escaped for Markdown and cut to stay readable.
public struct VerdictSummary {
  /// Largest summary in bytes (GitHub's job summary limit is 1 MiB).
  public static let maxBytes = 1 << 20

  /// Creates a renderer.
  public init() {}

  /// The Markdown summary; its first line states `decision` (by default the comparison's own).
  public func markdown(_ c: Comparison, decision: RunDecision? = nil) -> String {
    let decision = decision ?? RunDecision.decide(c)
    var out = "## \(DecisionText.icon(decision)) evalgate: \(Self.escape(decision.headline, keepCode: true))\n\n"
    out +=
      "\(c.paired) of \(c.baselineCases) baseline cases paired\(RunUnits.pairsText(c)), \(c.missing.count) missing, "
    out += "\(c.new.count) new. "
    guard c.paired > 0 else { return out + "\n" }
    out += "Score \(Verdict.format(c.verdict.score)) (PROMOTE at ≥ \(Verdict.format(c.passScore)), "
    out += "ROLLBACK below \(Verdict.format(c.marginalScore))). "
    out += "Seed \(c.seed), \(c.resamples) bootstrap resamples.\n\n"
    for reason in c.verdict.reasons.dropFirst() { out += "- \(Self.escape(reason, keepCode: true))\n" }
    out += "\n| metric | class | crit | pairs | baseline | candidate | worse by | 95 % CI | test | p | p adj |\n"
    out += "|---|---|---|---:|---:|---:|---:|---|---|---:|---:|\n"
    let rank: [MetricResult.Class: Int] = [.regressed: 0, .inconclusive: 1, .nodata: 2, .improved: 3, .pass: 4]
    for m in c.metrics.sorted(by: { rank[$0.verdict, default: 5] < rank[$1.verdict, default: 5] }) {
      let relative = m.spec.kind.isRelative
      func show(_ x: Double?) -> String { x.map(Verdict.format) ?? "—" }
      func harm(_ x: Double) -> String { relative ? Verdict.format(x * 100) + " %" : Verdict.format(x) }
      out +=
        "| \(Self.escape(m.spec.name, keepCode: false)) | \(m.verdict.rawValue) | \(m.spec.critical ? "yes" : "") | \(m.pairs) | "
      out += "\(show(m.baseline)) | \(show(m.candidate)) | \(m.harm.map(harm) ?? "—") | "
      out += "\(m.interval.map { "[\(harm($0.lowerBound)), \(harm($0.upperBound))]" } ?? "—") | \(m.test) | "
      out += "\(m.p.map(Verdict.formatP) ?? "—") | \(m.pAdjusted.map(Verdict.formatP) ?? "—") |\n"
    }
    func list(_ heading: String, _ changes: [Comparison.CaseChange], limit: Int = 50) {
      guard !changes.isEmpty else { return }
      out += "\n### \(heading) (\(changes.count))\n\n"
      for ch in changes.prefix(limit) {
        out += "- `\(ch.id)` \(Self.escape(ch.title, keepCode: false)) (\(ch.file)\(ch.line.map { ":\($0)" } ?? "")): "
        out += "passed \(Verdict.percent(ch.baselinePass)) → \(Verdict.percent(ch.candidatePass))"
        out += ch.p.map { ", Fisher p = \(Verdict.formatP($0))" } ?? ""
        out += "\n"
      }
      if changes.count > limit { out += "- … and \(changes.count - limit) more\n" }
    }
    list("Regressed cases", c.regressions)
    list("Missing cases", c.missing)
    list("Flaky in the baseline", c.flaky)
    list("New cases", c.new)
    list("Fixed cases", c.fixes)
    if out.utf8.count > Self.maxBytes {
      out = String(decoding: out.utf8.prefix(Self.maxBytes - 64), as: UTF8.self) + "\n\n… summary cut at 1 MiB\n"
    }
    return out
  }

  /// The console form after the decision's line: the score, what paired, the verdict's further reasons and
  /// the metrics that count and did not pass, each said once.
  public static func console(_ c: Comparison, label: String) -> String {
    var out =
      "  \(c.paired) of \(c.baselineCases) baseline cases paired\(RunUnits.pairsText(c)), \(c.missing.count) missing, "
    out += "\(c.new.count) new"
    guard c.paired > 0 else { return out + " (\(label))\n" }
    out += ", \(c.regressions.count) pass→fail, \(c.fixes.count) fail→pass, "
    out += "\(c.flaky.count) flaky in the baseline\n"
    out += "  verdict score \(Verdict.format(c.verdict.score)) (promote at ≥ \(Verdict.format(c.passScore)), roll back "
    out += "below \(Verdict.format(c.marginalScore))); seed \(c.seed); \(label)\n"
    let reasons = c.verdict.reasons
    for reason in reasons.dropFirst() { out += "  - \(reason)\n" }
    // Metrics that count and did not pass (one shown with weight 0 only when it regressed), unless a
    // reason already said it.
    for m in c.metrics where m.verdict != .pass && (m.spec.weight > 0 || m.verdict == .regressed) {
      let line = Verdict.describe(m)
      if !reasons.contains(where: { $0.contains(line) }) { out += "  \(line)\n" }
    }
    return out
  }

  /// Escapes what Markdown would act on in text that may come from a model or a test title: HTML tags,
  /// emphasis, links, tables, and (unless `keepCode`) backticks; with `keepCode`, text inside backticks is
  /// left as is apart from HTML; newlines become spaces; long text is cut.
  public static func escape(_ text: String, keepCode: Bool) -> String {
    var out = ""
    var inCode = false  // inside a `code span` Markdown takes text as is: nothing to escape but HTML
    for ch in text.prefix(300) {
      if keepCode, ch == "`" { inCode.toggle() }
      if inCode, !"<>&\n\r".contains(ch) {
        out.append(ch)
        continue
      }
      if let scalar = ch.unicodeScalars.first, ch.unicodeScalars.count == 1,
        !TextSanitizer.isLegal(scalar.value) || TextSanitizer.isHidden(scalar.value), scalar != "\n", scalar != "\r"
      {
        out += TextSanitizer.visible(String(ch))
        continue
      }
      switch ch {
      case "\n", "\r": out += " "
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "&": out += "&amp;"
      case "|", "*", "_", "[", "]", "#", "\\", "~": out += "\\\(ch)"
      case "`" where !keepCode: out += "\\`"
      default: out.append(ch)
      }
    }
    return text.count > 300 ? out + "…" : out
  }
}
