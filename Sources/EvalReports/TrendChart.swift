import EvalCore
import Foundation

/// A suite's trend over its last runs, from the history: a small inline SVG for report.html (pass rate and
/// mean score on 0–1 above, case latency p50 and p95 in milliseconds below, the newest run on the right) and
/// one sparkline line for summary.md.
public enum TrendChart {
  static let width = 360.0
  static let panel = 60.0
  static let left = 40.0
  static let right = 8.0

  /// The chart as an HTML `<figure>`; empty when the trend has fewer than two runs.
  public static func svg(_ trend: SuiteTrend) -> String {
    guard trend.isShown else { return "" }
    let e = HTMLReport.escape
    let n = trend.points.count
    let plot = width - left - right
    let x = { (i: Int) in left + plot * Double(i) / Double(max(n - 1, 1)) }
    let f = { (v: Double) in String(format: "%.1f", v) }
    func line(_ values: [Double?], top: Double, scale: Double, color: String, dashed: Bool = false) -> String {
      let pts = values.enumerated().compactMap { i, v in
        v.map { "\(f(x(i))),\(f(top + panel - min(max($0 / scale, 0), 1) * panel))" }
      }
      guard !pts.isEmpty else { return "" }
      var s =
        "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"\(dashed ? " stroke-dasharray=\"4 2\"" : "")"
      s += " points=\"\(pts.joined(separator: " "))\"></polyline>"
      for p in pts {
        let xy = p.split(separator: ",")
        s += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"2\" fill=\"\(color)\"></circle>"
      }
      return s
    }
    let qualityTop = 16.0
    let latencyTop = qualityTop + panel + 26
    let height = latencyTop + panel + 18
    let slowest = trend.points.compactMap { $0.latencyP95Ms ?? $0.latencyP50Ms }.max() ?? 0
    let latencyScale = max(slowest, 1)
    var s = "<figure class=\"trend\"><figcaption>\(e(trend.suite)): last \(n) runs</figcaption>"
    s += "<svg role=\"img\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
    for (top, label, low, high) in [
      (qualityTop, "pass rate ─ score ┄", "0", "1"),
      (latencyTop, "latency p50 ─ p95 ┄ (ms)", "0", String(format: "%.0f", slowest)),
    ] {
      s += "<text x=\"\(f(left))\" y=\"\(f(top - 4))\">\(label)</text>"
      s +=
        "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plot))\" height=\"\(f(panel))\" fill=\"none\" stroke=\"#e3e6ea\"></rect>"
      s += "<text x=\"0\" y=\"\(f(top + 10))\">\(high)</text><text x=\"0\" y=\"\(f(top + panel))\">\(low)</text>"
    }
    s += line(trend.points.map(\.passRate), top: qualityTop, scale: 1, color: "#188038")
    s += line(trend.points.map(\.meanScore), top: qualityTop, scale: 1, color: "#4a7bd0", dashed: true)
    s += line(trend.points.map(\.latencyP50Ms), top: latencyTop, scale: latencyScale, color: "#b06000")
    s += line(trend.points.map(\.latencyP95Ms), top: latencyTop, scale: latencyScale, color: "#c5221f", dashed: true)
    let last = trend.points[n - 1]
    let summary = [
      last.passRate.map { "pass rate \(percent($0))" }, last.meanScore.map { "score \(String(format: "%.3f", $0))" },
      last.latencyP50Ms.map { "p50 \(String(format: "%.0f", $0)) ms" },
      last.latencyP95Ms.map { "p95 \(String(format: "%.0f", $0)) ms" },
    ].compactMap { $0 }.joined(separator: ", ")
    s += "<title>\(e(trend.suite)), newest run: \(e(summary))</title>"
    return s + "</svg></figure>\n"
  }

  /// `- **suite** (last 5 runs): pass rate ▁▃▅▆█ 80.0 % → 92.0 % · score … · latency p50 … · p95 …`; empty
  /// when the trend has fewer than two runs.
  public static func markdownLine(_ trend: SuiteTrend) -> String {
    guard trend.isShown else { return "" }
    let e = { (s: String) in VerdictSummary.escape(s, keepCode: false) }
    var parts: [String] = []
    func add(_ name: String, _ values: [Double?], _ format: (Double) -> String) {
      let known = values.compactMap { $0 }
      guard let first = known.first, let last = known.last else { return }
      parts.append("\(name) `\(SuiteTrend.sparkline(values))` \(format(first)) → \(format(last))")
    }
    add("pass rate", trend.points.map(\.passRate), percent)
    add("score", trend.points.map(\.meanScore)) { String(format: "%.3f", $0) }
    add("latency p50", trend.points.map(\.latencyP50Ms)) { String(format: "%.0f ms", $0) }
    add("p95", trend.points.map(\.latencyP95Ms)) { String(format: "%.0f ms", $0) }
    return "- **\(e(trend.suite))** (last \(trend.points.count) runs): \(parts.joined(separator: " · "))\n"
  }

  static func percent(_ x: Double) -> String { String(format: "%.1f %%", 100 * x) }
}
