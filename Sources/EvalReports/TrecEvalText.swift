import EvalCore
import Foundation

/// trec_eval's text layout (`%-22s\t%s\t%6.4f`; counts as integers), so a result can be diffed against
/// trec_eval's own: with `perQuery`, each query's rows first (in query id order), then the `all` rows.
public struct TrecEvalText {
  /// Print the `runid` and `num_q` rows (trec_eval does for its default and `all_trec` sets).
  public var header: Bool
  /// Print a block per query (`-q`).
  public var perQuery: Bool

  /// Creates a renderer.
  public init(header: Bool = true, perQuery: Bool = false) {
    self.header = header
    self.perQuery = perQuery
  }

  /// The text.
  public func render(_ e: RetrievalEvaluation) -> String {
    var out = ""
    func row(_ name: String, _ query: String, _ value: String) {
      out +=
        name.padding(toLength: max(22, name.count), withPad: " ", startingAt: 0) + "\t" + query + "\t" + value
        + "\n"
    }
    func value(_ m: RetrievalMeasure, _ x: Double) -> String {
      m.family.isCount ? String(Int(x.rounded())) : String(format: "%6.4f", x)
    }
    if perQuery {
      for r in e.rows {
        for (m, x) in zip(e.measures, r.values) where m.family.perQuery { row(m.name, r.query, value(m, x)) }
      }
    }
    if header {
      row("runid", "all", e.runID)
      row("num_q", "all", String(e.counts.queries))
    }
    for (m, x) in zip(e.measures, e.summary) { row(m.name, "all", value(m, x)) }
    return out
  }
}
