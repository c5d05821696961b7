import EvalCore

/// How a run's token and cost totals read for people, alike in the console, summary.md and report.html:
/// a total over what is known, and how many calls it leaves out; "unknown", never 0, when nothing is known.
public enum RunSummaryText {
  /// `tokens 120 in / 40 out`, `tokens unknown (no usage reported by 200 calls)`, and the same for cost;
  /// nothing for a run that made no call.
  public static func usage(_ t: RunSummary) -> [String] {
    var parts: [String] = []
    if let p = t.promptTokens ?? t.completionTokens.map({ _ in 0 }) {
      var text = "tokens \(p) in / \(t.completionTokens ?? 0) out"
      if t.tokensUnknownSamples > 0 { text += " (+ \(t.tokensUnknownSamples) calls that reported no usage)" }
      parts.append(text)
    } else if t.tokensUnknownSamples > 0 {
      parts.append("tokens unknown (no usage reported by \(t.tokensUnknownSamples) calls)")
    }
    if let cost = t.cost {
      var text = "cost $\(Budget.dollars(cost))"
      if t.costUnknownSamples > 0 { text += " + \(t.costUnknownSamples) calls of unknown cost" }
      parts.append(text)
    } else if t.costUnknownSamples > 0 {
      parts.append("cost unknown (no price or no usage for \(t.costUnknownSamples) calls)")
    }
    return parts
  }
}
