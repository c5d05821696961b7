import EvalCore
import Foundation

/// `report.html`: one self-contained page (inline CSS, JS and SVG; a Content-Security-Policy that allows
/// no network) for people who look before they approve: the gate and verdict banner, the verdict's
/// metric table, charts (pass rate per suite, latency distribution with p50/p90/p99, tokens and cost per
/// provider, score distribution) and every case with filters. Every piece of model output and suite
/// text goes through ``HTMLReport/escape(_:)``, so hostile output cannot run or break the page.
public struct HTMLReport: Sendable {
  /// Longest output shown per case (the rest is in results.json).
  public static let outputLimit = 20_000

  /// Creates a renderer.
  /// Above this many cases the page lists every case that did not pass (or that the baseline comparison
  /// flags) and an even sample of the passing ones, ``passingSample`` at most, saying so above the table;
  /// results.json and junit.xml keep every case. A page of a hundred thousand rows is too heavy for a browser.
  public var caseLimit = 5_000
  /// How many passing cases a page over ``caseLimit`` shows.
  public var passingSample = 1_000

  /// A report page with the default limits.
  public init() {}

  /// Text as HTML text or attribute content: `& < > " '` become entities; C0 controls (but tab and
  /// newline) and U+FFFE/U+FFFF are dropped.
  public static func escape(_ text: String) -> String {
    let plain = text.utf8.allSatisfy { byte in
      ((0x20..<0x7F).contains(byte) || byte == 0x0A || byte == 0x09) && byte != 0x26 && byte != 0x3C && byte != 0x3E
        && byte != 0x22 && byte != 0x27
    }
    if plain { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      default:
        // Controls and bidi overrides shown, never acted on or silently dropped.
        if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF
          || TextSanitizer.isHidden(scalar.value)
        {
          let hex = String(scalar.value, radix: 16, uppercase: true)
          out += "#x" + (hex.count < 2 ? "0" + hex : hex)
          continue
        }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// The page. `rows` are case rows rendered while the run went on (``caseRow(_:)``), used for cases
  /// with no flag from the baseline comparison; `trends`, from the history, add a Trends section (when one
  /// has two runs or more; without, the page is what it was before history).
  public func render(_ report: RunReport, rows: [CaseID: String] = [:], trends: [SuiteTrend] = []) -> String {
    var page = ""
    write(report, rows: rows, trends: trends) { page += $0 }
    return page
  }

  /// The page of ``render(_:rows:trends:)``, handed to `sink` in pieces of about 64 KiB as it is made, so
  /// a page of a hundred thousand cases is never held whole.
  public func write(
    _ report: RunReport, rows: [CaseID: String] = [:], trends: [SuiteTrend] = [], to sink: (String) throws -> Void
  ) rethrows {
    try write(report, row: { rows[$0] }, trends: trends, to: sink)
  }

  /// ``write(_:rows:trends:to:)`` with each case's row from `row` (read back from where the run kept it). A
  /// row rendered here again (a case the baseline comparison flags) is rendered from `whole(case)`: the run
  /// may hold a case compacted (``CaseResult/compacted()``) once its row is kept.
  public func write(
    _ report: RunReport, row: (CaseID) -> String?, whole: (CaseResult) -> CaseResult = { $0 },
    trends: [SuiteTrend] = [], to sink: (String) throws -> Void
  ) rethrows {
    let e = HTMLReport.escape
    var h = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>evalgate report</title>
      <style>
      body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2430}
      h1{font-size:20px} h2{font-size:16px;margin-top:28px}
      .banner{padding:12px 16px;border-radius:6px;font-weight:600}
      .ok{background:#e6f4ea} .bad{background:#fce8e6} .warn{background:#fef7e0}
      table{border-collapse:collapse;width:100%;margin:8px 0} th,td{border-bottom:1px solid #e3e6ea;padding:4px 8px;text-align:left;vertical-align:top}
      td.num{text-align:right;font-variant-numeric:tabular-nums}
      pre{white-space:pre-wrap;word-break:break-word;max-height:240px;overflow:auto;background:#f6f8fa;padding:6px;margin:0}
      .filters button{margin-right:6px} .filters button.on{font-weight:700}
      .charts{display:flex;flex-wrap:wrap;gap:24px} svg text{font:11px system-ui,sans-serif}
      #cases{table-layout:fixed} #cases td{overflow-wrap:anywhere}
      </style></head><body>
      <h1>evalgate report</h1>

      """
    // One banner: the decision that sets the exit code; the gate's and the verdict's details below it.
    let decision = report.effectiveDecision
    h +=
      "<div class=\"banner \(DecisionText.cssClass(decision))\" id=\"decision\">\(e(decision.headline))</div>\n"
    let t = report.summary
    let units = RunUnits(report)
    h += "<p id=\"units\">\(e(units.casesText)): \(t.passed) passed, \(t.failed) failed, \(t.errored) errored, "
    h += "\(t.skipped) skipped.\(units.retrievalText.map { " " + e($0) + "." } ?? "")</p>\n"
    if DecisionText.showsGateBesideVerdict(report) {
      h += "<p id=\"gate\">Cases: \(e(report.gate.reason))</p>\n"
    }
    if let c = report.verdict, c.paired > 0 {
      let v = c.verdict
      h += "<div id=\"verdict\">Verdict \(e(v.decision.rawValue)) (score \(e(Verdict.format(v.score)))) on "
      h += "\(c.paired) paired case\(c.paired == 1 ? "" : "s")\(e(RunUnits.pairsText(c)))"
      h += "<ul>" + v.reasons.map { "<li>\(e($0))</li>" }.joined() + "</ul></div>\n"
      h +=
        "<h2>Metrics</h2><table><tr><th>metric</th><th>class</th><th>pairs</th><th>baseline</th><th>candidate</th><th>change</th><th>95 % interval</th><th>p</th></tr>\n"
      for m in c.metrics {
        let fmt = { (x: Double?) in x.map { Verdict.format($0) } ?? "—" }
        let interval = m.interval.map { "[\(Verdict.format($0.lowerBound)), \(Verdict.format($0.upperBound))]" } ?? "—"
        h += "<tr><td>\(e(m.spec.name))</td><td>\(e(m.verdict.rawValue))</td><td class=\"num\">\(m.pairs)</td>"
        h +=
          "<td class=\"num\">\(fmt(m.baseline))</td><td class=\"num\">\(fmt(m.candidate))</td><td class=\"num\">\(fmt(m.harm))</td>"
        let p = m.verdict == .improved ? m.pBetter : m.pAdjusted ?? m.p
        h += "<td>\(e(interval))</td><td class=\"num\">\(p.map(Verdict.formatP) ?? "—")</td></tr>\n"
      }
      h += "</table>\n"
    }
    h += "<h2>Charts</h2><div class=\"charts\">\n"
    if let rates = report.verdict?.suitePassRates?.filter({ $0.baseline != nil || $0.candidate != nil }), !rates.isEmpty
    {
      h += HTMLReport.bars(
        title: "Pass rate per suite: baseline, candidate",
        rates.flatMap { r in [("\(r.suite) · base", r.baseline ?? 0), ("\(r.suite) · cand", r.candidate ?? 0)] },
        format: { "\(Int(($0 * 100).rounded())) %" }, maximum: 1)
    }
    h += HTMLReport.bars(
      title: "Pass rate per suite",
      report.suites.map { s in
        let judged = s.summary.passed + s.summary.failed + s.summary.errored
        return (s.id, judged == 0 ? 0 : Double(s.summary.passed) / Double(judged))
      }, format: { "\(Int(($0 * 100).rounded())) %" }, maximum: 1)
    // The charts' figures in one pass over the cases (a large run's cases are read back one at a time, and
    // reading one back is most of what a chart costs: docs/benchmarks.md, session 14), none grouped into copies.
    var latencies: [Double] = []
    var tokens: [String: Int?] = [:]
    var costs: [String: Double?] = [:]
    var scores: [Double] = []
    for c in report.cases {
      for a in c.attempts where a.outcome == .passed || a.outcome == .failed { latencies.append(a.latencyMs) }
      if let score = c.score { scores.append(score) }
      var known = tokens[c.provider] ?? nil
      var spent = costs[c.provider] ?? nil
      for a in c.attempts {
        if let u = a.usage, u.promptTokens != nil || u.completionTokens != nil {
          known = (known ?? 0) + (u.promptTokens ?? 0) + (u.completionTokens ?? 0)
        }
        if let cost = a.cost { spent = (spent ?? 0) + cost }
      }
      tokens[c.provider] = known
      costs[c.provider] = spent
    }
    h += HTMLReport.latencyHistogram(latencies)
    h += HTMLReport.bars(
      title: "Tokens per provider", tokens.map { ($0.key, $0.value.map(Double.init)) }.sorted { $0.0 < $1.0 },
      format: { "\(Int($0))" })
    h += HTMLReport.bars(
      title: "Cost per provider (USD)", costs.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 },
      format: { String(format: "%.4f", $0) })
    h += HTMLReport.bars(
      title: "Scores",
      (0..<5).map { b in
        let low = Double(b) / 5
        return (
          "\(String(format: "%.1f", low))–\(String(format: "%.1f", low + 0.2))",
          Double(scores.filter { min(Int($0 * 5), 4) == b }.count)
        )
      }, format: { "\(Int($0))" })
    h += "</div>\n"
    let shown = trends.filter(\.isShown)
    if !shown.isEmpty {
      h += "<h2>Trends</h2><div class=\"charts\" id=\"trends\">\n" + shown.map(TrendChart.svg).joined() + "</div>\n"
    }
    for r in report.retrieval ?? [] {
      h += "<h2>Retrieval \(e(r.fixture)): \(RunUnits.count(r.measures.count, "measure")) over "
      h += "\(RunUnits.count(r.counts.queries, "query", plural: "queries"))</h2>"
      h += "<table><tr><th>measure</th><th>mean</th><th>gate</th></tr>"
      let gates = Dictionary(r.gates.map { ($0.metric, $0) }, uniquingKeysWith: { a, _ in a })
      for m in r.measures {
        let g = gates[m].map { $0.passed ? "met" : "not met" } ?? ""
        h +=
          "<tr><td>\(e(m))</td><td class=\"num\">\(e(RetrievalResult.format(r.means[m] ?? 0)))</td><td>\(g)</td></tr>"
      }
      h += "</table>\n"
    }
    for s in report.suites {
      guard let derived = s.derivedMetrics, !derived.isEmpty else { continue }
      h += "<h2>Derived metrics of \(e(s.id))</h2><table><tr><th>prompt</th><th>provider</th><th>metric</th>"
      h += "<th>value</th></tr>"
      for d in derived {
        let value = d.value.map { JSONValue.format(($0 * 10000).rounded() / 10000) } ?? "— (\(d.note ?? ""))"
        h +=
          "<tr><td>\(e(d.prompt))</td><td>\(e(d.provider))</td><td>\(e(d.name))</td><td class=\"num\">\(e(value))</td></tr>"
      }
      h += "</table>\n"
    }
    let regressed = Set((report.verdict?.regressions ?? []).map(\.id))
    let flaky = Set((report.verdict?.flaky ?? []).map(\.id))
    let new = Set((report.verdict?.new ?? []).map(\.id))
    // A large run: every case that needs a look, and every `stride`-th passing case.
    var stride = 1
    var note = ""
    let passing =
      report.cases.count > caseLimit ? report.cases.indices.count { report.cases.outcome(at: $0) == .passed } : 0
    if passing > passingSample {
      stride = (passing + passingSample - 1) / passingSample
      let shown = (passing + stride - 1) / stride
      note =
        "\n<p id=\"sampled\">\(report.cases.count - passing) cases that did not pass, all shown, and \(passing) passing "
        + "cases, an even sample of \(shown) shown (every \(stride)\(HTMLReport.ordinalSuffix(stride)), with any the "
        + "baseline comparison flags); results.json and junit.xml list every case.</p>"
    }
    h += """
      <h2>Cases</h2>\(note)
      <div class="filters" id="filters"><button data-f="all" class="on">all</button><button data-f="failed">failed</button><button data-f="errored">errored</button><button data-f="regressed">regressed</button><button data-f="flaky">flaky</button><button data-f="new">new</button></div>
      <table id="cases"><colgroup><col style="width:24%"><col style="width:9%"><col style="width:15%"><col style="width:30%"><col style="width:22%"></colgroup>
      <tr><th>case</th><th>outcome</th><th>where</th><th>output</th><th>why</th></tr>

      """
    var passingSeen = 0
    // A case whose row was kept is not read back: its id and outcome are enough.
    for i in report.cases.indices {
      let id = report.cases.id(at: i)
      var extra: [String] = []
      if regressed.contains(id) { extra.append("regressed") }
      if flaky.contains(id) { extra.append("flaky") }
      if new.contains(id) { extra.append("new") }
      if stride > 1, report.cases.outcome(at: i) == .passed {
        passingSeen += 1
        if extra.isEmpty, (passingSeen - 1) % stride != 0 { continue }
      }
      if extra.isEmpty, let kept = row(id) {
        h += kept
      } else {
        h += HTMLReport.caseRow(whole(report.cases.sample(at: i)), extraFlags: extra)
      }
      if h.utf8.count >= 1 << 16 {
        try sink(h)
        h = ""
      }
    }
    h += """
      </table>
      <script>
      (function () {
        var buttons = document.querySelectorAll('#filters button');
        buttons.forEach(function (b) {
          b.addEventListener('click', function () {
            buttons.forEach(function (x) { x.classList.toggle('on', x === b); });
            var f = b.getAttribute('data-f');
            document.querySelectorAll('#cases tr[data-flags]').forEach(function (row) {
              var flags = row.getAttribute('data-flags').split(' ');
              row.style.display = f === 'all' || flags.indexOf(f) >= 0 ? '' : 'none';
            });
          });
        });
        document.body.setAttribute('data-ready', 'yes');
      })();
      </script>
      </body></html>

      """
    try sink(h)
  }

  /// `st`, `nd`, `rd` or `th` after `n`.
  static func ordinalSuffix(_ n: Int) -> String {
    if (11...13).contains(n % 100) { return "th" }
    return [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
  }

  /// One case's row in the cases table; `extraFlags` come from the baseline comparison (`regressed`,
  /// `flaky`, `new`).
  public static func caseRow(_ c: CaseResult, extraFlags: [String] = []) -> String {
    let e = HTMLReport.escape
    let flags = [c.outcome.rawValue] + extraFlags
    let attempt = c.attempts.last { $0.outcome == c.outcome } ?? c.attempts.last
    let output = attempt?.output ?? attempt?.error.map { "\($0.typeName): \($0.message)" } ?? ""
    let why =
      attempt.map { a in
        a.assertions.filter { !$0.pass }.map { "\($0.type): \($0.reason)" }.joined(separator: "\n")
      } ?? ""
    var h =
      "<tr data-flags=\"\(flags.joined(separator: " "))\"><td>\(e(String(c.title.prefix(300))))<br><small>\(e(c.suite)) · \(e(c.provider)) · \(c.id)</small></td>"
    h += "<td>\(e(flags.joined(separator: ", ")))</td><td>\(e(c.file)):\(c.line ?? 0)</td>"
    h += "<td><pre>\(e(String(output.prefix(HTMLReport.outputLimit))))</pre></td><td><pre>\(e(why))</pre></td></tr>\n"
    return h
  }

  /// A horizontal bar chart in SVG.
  static func bars(title: String, _ items: [(String, Double)], format: (Double) -> String, maximum: Double? = nil)
    -> String
  {
    bars(title: title, items.map { ($0.0, Optional($0.1)) }, format: format, maximum: maximum)
  }

  /// Bars where a `nil` value is unknown: drawn empty and labelled "unknown", never as 0.
  static func bars(title: String, _ items: [(String, Double?)], format: (Double) -> String, maximum: Double? = nil)
    -> String
  {
    let top = maximum ?? max(items.compactMap(\.1).max() ?? 0, 1e-12)
    let width = 420.0
    let rowHeight = 20.0
    var s =
      "<figure><figcaption>\(escape(title))</figcaption><svg role=\"img\" width=\"\(Int(width))\" height=\"\(Int(rowHeight * Double(max(items.count, 1)) + 6))\">"
    for (i, (label, known)) in items.enumerated() {
      let y = Double(i) * rowHeight + 3
      let value = known ?? 0
      let w = max(0, min(1, value / top)) * 220
      s += "<text x=\"0\" y=\"\(y + 13)\">\(escape(String(label.prefix(28))))</text>"
      s += "<rect x=\"150\" y=\"\(y)\" width=\"\(String(format: "%.1f", w))\" height=\"14\" fill=\"#4a7bd0\"></rect>"
      s +=
        "<text x=\"\(String(format: "%.1f", 155 + w))\" y=\"\(y + 12)\">\(escape(known.map(format) ?? "unknown"))</text>"
    }
    return s + "</svg></figure>\n"
  }

  /// The `latencies` of answered calls in 10 bins, with p50, p90 and p99 marked.
  static func latencyHistogram(_ latencies: [Double]) -> String {
    var latencies = latencies
    latencies.sort()
    guard let high = latencies.last, high > 0 else { return "" }
    let bins = 10
    var counts = [Int](repeating: 0, count: bins)
    for l in latencies { counts[min(Int(l / high * Double(bins)), bins - 1)] += 1 }
    let peak = Double(counts.max() ?? 1)
    var s = "<figure><figcaption>Latency (ms)</figcaption><svg role=\"img\" width=\"420\" height=\"160\">"
    for (i, c) in counts.enumerated() {
      let h = Double(c) / peak * 110
      s +=
        "<rect x=\"\(i * 40 + 10)\" y=\"\(String(format: "%.1f", 120 - h))\" width=\"34\" height=\"\(String(format: "%.1f", h))\" fill=\"#8aa9de\"></rect>"
    }
    for (row, (name, q)) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99)].enumerated() {
      guard let v = Descriptive.percentile(latencies, q) else { continue }
      let x = 10 + v / high * 400
      s +=
        "<line x1=\"\(String(format: "%.1f", x))\" x2=\"\(String(format: "%.1f", x))\" y1=\"5\" y2=\"120\" stroke=\"#c5221f\"></line>"
      s +=
        "<text x=\"\(String(format: "%.1f", min(x + 2, 340)))\" y=\"\(132 + row * 10)\">\(name) \(Int(v.rounded()))</text>"
    }
    return s + "</svg></figure>\n"
  }
}
