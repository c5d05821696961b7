import EvalCore
import Foundation

/// Renders a run as JUnit XML with libxml2, as `../shared/reference/ci-reporting.md` recommends:
/// one `<testsuite>` per suite, one `<testcase>` per case (repeats inside it), failure vs error vs
/// skipped, a one-line message plus a body, every string sanitized.
///
/// Profiles: `rich` (default) adds `file`/`line`, case properties and Surefire `rerunFailure` /
/// `rerunError` for earlier failed samples, valid against `consumer-superset.xsd`; `strict` keeps to
/// what both `junit5-jenkins-junit.xsd` and `jenkins-xunit-junit-10.xsd` accept.
public struct JUnitReport: Sendable {
  /// The output shape.
  public enum Profile: String, Sendable, CaseIterable {
    /// file/line, case properties, rerun elements.
    case rich
    /// The intersection of the Jenkins-flavoured XSDs.
    case strict
  }

  /// The profile.
  public var profile: Profile
  /// Host name recorded on suites (left out when nil).
  public var hostname: String?

  /// Caps, in characters.
  static let bodyLimit = 64 * 1024
  static let outputLimit = 256 * 1024
  static let messageLimit = 500

  /// Creates a reporter.
  public init(profile: Profile = .rich, hostname: String? = nil) {
    self.profile = profile
    self.hostname = hostname
  }

  /// The verdict as suite properties: the decision, score, reasons and each metric's class and values.
  static func verdictProperties(_ c: Comparison, suite: String) -> [(String, String)] {
    var out = [
      ("evalgate.verdict", c.verdict.decision.rawValue), ("evalgate.verdict.score", Verdict.format(c.verdict.score)),
      ("evalgate.verdict.seed", String(c.seed)),
    ]
    for (i, reason) in c.verdict.reasons.enumerated() { out.append(("evalgate.verdict.reason.\(i + 1)", reason)) }
    for m in c.metrics { out.append(("evalgate.metric.\(m.spec.name)", Verdict.describe(m))) }
    let regressed = c.regressions.filter { $0.suite == suite }.count
    out.append(("evalgate.verdict.regressed_cases", String(regressed)))
    return out
  }

  /// A `<testcase>` rendered ahead (see ``JUnitCaseRenderer``), used when the case's name is still this one
  /// and it has no regression to report.
  public struct Fragment: Sendable {
    /// The name it was rendered under.
    public var name: String
    /// Its bytes, as they read inside a `<testsuite>`.
    public var bytes: [UInt8]

    /// Creates a fragment.
    public init(name: String, bytes: [UInt8]) {
      self.name = name
      self.bytes = bytes
    }
  }

  /// The XML bytes for a report; `fragments` are test cases rendered while the run went on.
  /// - Throws: when libxml2 fails to write (out of memory).
  public func render(_ report: RunReport, fragments: [CaseID: Fragment] = [:]) throws -> [UInt8] {
    var out: [UInt8] = []
    try write(report, fragments: fragments) { out += $0 }
    return out
  }

  /// The bytes of ``render(_:fragments:)``, handed to `sink` in pieces as they are made (after every few
  /// hundred test cases), so the XML of a large run is never held whole.
  /// - Throws: when libxml2 fails to write (out of memory), or what `sink` throws.
  public func write(
    _ report: RunReport, fragments: [CaseID: Fragment] = [:], to sink: ([UInt8]) throws -> Void
  ) throws {
    try write(report, fragment: { fragments[$0] }, to: sink)
  }

  /// ``write(_:fragments:to:)`` with each case's fragment from `fragment` (read back from where the run kept it).
  /// A case rendered here again (a regression, a name made unique) is rendered from `whole(case)`: the run may
  /// hold a case compacted (``CaseResult/compacted()``) once its fragment is kept.
  /// - Throws: when libxml2 fails to write (out of memory), or what `sink` throws.
  public func write(
    _ report: RunReport, fragment: (CaseID) -> Fragment?, whole: (CaseResult) -> CaseResult = { $0 },
    to sink: ([UInt8]) throws -> Void
  ) throws {
    try write(report, fragmentOf: { fragment($0.id) }, whole: whole, to: sink)
  }

  /// ``write(_:fragment:whole:to:)`` with each case's fragment from `fragmentOf` given the case.
  /// - Throws: when libxml2 fails to write (out of memory), or what `sink` throws.
  public func write(
    _ report: RunReport, fragmentOf fragment: (CaseResult) -> Fragment?, whole: (CaseResult) -> CaseResult = { $0 },
    to sink: ([UInt8]) throws -> Void
  ) throws {
    let w = try XMLWriter()
    let summary = report.summary
    let retrieval = report.retrieval ?? []
    let retrievalTests = retrieval.reduce(0) { $0 + $1.measures.count }
    let retrievalFailures = retrieval.reduce(0) { $0 + $1.gates.filter { !$0.passed }.count }
    try w.start("testsuites")
    try w.attribute("name", "evalgate")
    // One test per prompt case and per retrieval measure (RunUnits); each suite's properties say so.
    try w.attribute("tests", String(summary.total + retrievalTests))
    try w.attribute("failures", String(summary.failed + retrievalFailures))
    try w.attribute("errors", String(summary.errored))
    if profile == .rich {
      try w.attribute("skipped", String(summary.skipped))
    }
    try w.attribute("time", JUnitReport.seconds(report.durationSeconds))
    if profile == .rich {
      try w.attribute("timestamp", JUnitReport.timestamp(report.startedAt))
    }
    for (index, suite) in report.suites.enumerated() {
      // The suite's cases in place: a large run's cases are not copied, nor unpacked to find their suite.
      let cases = report.cases.cases(ofSuite: suite.id)
      try writeSuite(
        suite, index: index, cases: cases, manyPrompts: report.cases.hasManyPrompts(inSuite: suite.id), report: report,
        fragment: fragment, whole: whole, to: w, sink: sink)
    }
    for (index, result) in retrieval.enumerated() {
      try writeRetrieval(result, index: report.suites.count + index, report: report, to: w)
    }
    try w.end()
    try sink(try w.finish())
  }

  /// A retrieval fixture: one `<testcase>` per measure, failed when its threshold is not met, the worst
  /// queries named in the failure body.
  private func writeRetrieval(_ r: RetrievalResult, index: Int, report: RunReport, to w: XMLWriter) throws {
    let name = "retrieval: " + r.fixture
    try w.start("testsuite")
    try w.attribute("name", TextSanitizer.line(name))
    try w.attribute("tests", String(r.measures.count))
    try w.attribute("failures", String(r.gates.filter { !$0.passed }.count))
    try w.attribute("errors", "0")
    try w.attribute("skipped", "0")
    try w.attribute("time", "0.000")
    try w.attribute("timestamp", JUnitReport.timestamp(report.startedAt))
    if let hostname { try w.attribute("hostname", TextSanitizer.line(hostname)) }
    try w.attribute("id", String(index))
    if profile == .rich { try w.attribute("file", TextSanitizer.line(r.file)) }
    try w.start("properties")
    var properties = [
      ("evalgate.units", RunUnits(report).junitText), ("fixture.file", r.file), ("queries", String(r.counts.queries)),
      ("missing_rankings", String(r.counts.missingRankings)), ("no_relevant", String(r.counts.noRelevant)),
      ("unjudged_retrieved", String(r.counts.unjudgedRetrieved)), ("tie_groups", String(r.counts.tieGroups)),
    ]
    if let d = r.description { properties.append(("fixture.description", d)) }
    for (n, v) in properties {
      try w.element("property", [("name", n), ("value", TextSanitizer.line(v, limit: 2000))])
    }
    try w.end()
    let gates = Dictionary(r.gates.map { ($0.metric, $0) }, uniquingKeysWith: { a, _ in a })
    for metric in r.measures {
      let mean = r.means[metric] ?? 0
      try w.start("testcase")
      try w.attribute("name", TextSanitizer.line(metric))
      try w.attribute("classname", JUnitReport.classname(name))
      try w.attribute("time", "0.000")
      if profile == .rich {
        try w.attribute("file", TextSanitizer.line(r.file))
        try w.start("properties")
        try w.element("property", [("name", "mean"), ("value", JUnitReport.decimal(mean))])
        if let g = gates[metric] {
          if let min = g.min { try w.element("property", [("name", "min"), ("value", JUnitReport.decimal(min))]) }
          if let max = g.max { try w.element("property", [("name", "max"), ("value", JUnitReport.decimal(max))]) }
        }
        try w.end()
      }
      if let g = gates[metric], !g.passed {
        let message = r.failures.first { $0.hasPrefix("\(r.fixture): \(metric) =") } ?? "\(metric) threshold not met"
        let body =
          "\(metric) over \(r.counts.queries) queries = \(RetrievalResult.format(mean)); worst queries:\n"
          + g.worst.map { "  \($0.query): \(RetrievalResult.format($0.value))" }.joined(separator: "\n")
        try w.element(
          "failure",
          [("message", TextSanitizer.line(message, limit: JUnitReport.messageLimit)), ("type", "RetrievalThreshold")],
          text: TextSanitizer.xml(body, limit: JUnitReport.bodyLimit))
      }
      try w.end()
    }
    try w.end()
  }

  /// `manyPrompts`: whether the suite's cases come from more than one prompt (their names then carry it).
  private func writeSuite(
    _ suite: RunReport.SuiteInfo, index: Int, cases: some Collection<CaseResult>, manyPrompts: Bool,
    report: RunReport, fragment: (CaseResult) -> Fragment?, whole: (CaseResult) -> CaseResult, to w: XMLWriter,
    sink: ([UInt8]) throws -> Void
  ) throws {
    let s = suite.summary
    // One pass for what the suite's attributes and properties sum up (each pass over a packed run unpacks every
    // case). The names are tallied the one way the prompts ask for, known before the pass (tallying both ways was
    // 3.9 k instructions a case, docs/benchmarks.md, session 16).
    var seconds = 0.0
    var used = Set<String>()
    var tally = UniqueNames.Tally(manyPrompts: manyPrompts)
    for c in cases {
      seconds += c.durationSeconds
      used.insert(c.provider)
      tally.add(c)
    }
    try w.start("testsuite")
    try w.attribute("name", TextSanitizer.line(suite.id))
    try w.attribute("tests", String(max(s.total, 1)))
    try w.attribute("failures", String(s.failed))
    try w.attribute("errors", String(s.errored + (cases.isEmpty ? 1 : 0)))
    try w.attribute("skipped", String(s.skipped))
    try w.attribute("time", JUnitReport.seconds(seconds))
    try w.attribute("timestamp", JUnitReport.timestamp(report.startedAt))
    if let hostname { try w.attribute("hostname", TextSanitizer.line(hostname)) }
    try w.attribute("id", String(index))
    if profile == .rich { try w.attribute("file", TextSanitizer.line(suite.file)) }

    try w.start("properties")
    // The run's decision first: an interrupted or could-not-evaluate run says so before anything else.
    let decision = report.effectiveDecision
    var properties = [
      ("evalgate.decision", decision.headline), ("evalgate.exit_code", String(decision.exitCode)),
      ("evalgate.version", report.tool.version), ("evalgate.units", RunUnits(report).junitText),
      ("suite.file", suite.file),
    ]
    if report.interrupted { properties.insert(("evalgate.interrupted", "true"), at: 1) }
    if let d = suite.description { properties.append(("suite.description", d)) }
    for p in report.providers where used.contains(p.provider) {
      let key = "provider." + p.provider
      for (name, value) in [
        ("latency.p50_ms", p.latencyP50Ms), ("latency.p90_ms", p.latencyP90Ms), ("latency.p99_ms", p.latencyP99Ms),
      ] {
        if let value { properties.append(("\(key).\(name)", JUnitReport.decimal(value))) }
      }
      properties.append(("\(key).error_rate", JUnitReport.decimal(p.errorRate)))
      properties.append(("\(key).retries", String(p.retries)))
    }
    if let comparison = report.verdict {
      properties += JUnitReport.verdictProperties(comparison, suite: suite.id)
    }
    for (name, value) in properties {
      try w.element("property", [("name", name), ("value", TextSanitizer.line(value, limit: 2000))])
    }
    try w.end()

    if cases.isEmpty {
      // Jenkins drops a suite without test cases, so an empty suite reports a synthetic error case.
      try w.start("testcase")
      try w.attribute("name", "<suite setup>")
      try w.attribute("classname", JUnitReport.classname(suite.id))
      try w.attribute("time", "0.000")
      try w.element(
        "error", [("message", "suite produced no cases"), ("type", "SuiteError")], text: "suite produced no cases")
      try w.end()
    }
    let names = UniqueNames(tally, cases)
    let regressions = Dictionary(
      (report.verdict?.regressions ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    // Every case goes in as a fragment: rendered during the run when still valid, else here.
    var renderer: JUnitCaseRenderer?
    for (n, c) in cases.enumerated() {
      let name = names.name(c)
      let regression = regressions[c.id]
      if regression == nil, let fragment = fragment(c), fragment.name == name {
        try w.raw(fragment.bytes)
      } else {
        if renderer == nil { renderer = try JUnitCaseRenderer(self) }
        try w.raw(try renderer?.render(whole(c), name: name, regression: regression) ?? [])
      }
      // Between two test cases the writer has nothing pending: what it holds can go.
      if n % 256 == 255 { try sink(try w.take()) }
    }
    // Raw content leaves the closing tag to be indented by hand.
    if !cases.isEmpty { try w.raw(Array("  ".utf8)) }
    try w.end()
  }

  /// One `<testcase>`; a case that passes less often than in the baseline says so in its failure message.
  func writeCase(_ c: CaseResult, name: String, regression: Comparison.CaseChange?, to w: XMLWriter) throws {
    try w.start("testcase")
    try w.attribute("name", TextSanitizer.line(name))
    try w.attribute("classname", JUnitReport.classname(c.suite))
    try w.attribute("time", JUnitReport.seconds(c.durationSeconds))
    if profile == .rich {
      try w.attribute("file", TextSanitizer.line(c.file))
      if let line = c.line { try w.attribute("line", String(line)) }
      let checks = c.attempts.first(where: { !$0.assertions.isEmpty })?.assertions.count ?? 0
      try w.attribute("assertions", String(checks))
      try w.start("properties")
      var props = [("case.id", c.id.rawValue), ("provider", c.provider), ("prompt", c.prompt)]
      if let score = c.score { props.append(("score", JUnitReport.decimal(score))) }
      let run = c.attempts.filter { $0.outcome != .skipped }
      props.append(("samples", String(run.count)))
      props.append(("passes", String(run.filter { $0.outcome == .passed }.count)))
      if let testID = c.testID { props.append(("test.id", testID)) }
      for (n, v) in props { try w.element("property", [("name", n), ("value", TextSanitizer.line(v, limit: 2000))]) }
      try w.end()
    }

    var message = CaseMessages.headline(c)
    if let drop = regression {
      message =
        "regressed from the baseline: passed \(Verdict.percent(drop.baselinePass)) → "
        + "\(Verdict.percent(drop.candidatePass)); " + message
    }
    switch c.outcome {
    case .passed:
      break
    case .skipped:
      let reason = TextSanitizer.line(c.skipReason ?? "skipped", limit: JUnitReport.messageLimit)
      if profile == .rich {
        try w.element("skipped", [("message", reason)])
      } else {
        try w.element("skipped", text: reason)
      }
    case .failed, .errored:
      let isError = c.outcome == .errored
      let final = c.attempts.last { $0.outcome == c.outcome }
      let type = isError ? (final?.error?.typeName ?? "ProviderError") : "AssertionFailure"
      let body = TextSanitizer.xml(CaseMessages.body(c), limit: JUnitReport.bodyLimit)
      try w.element(
        isError ? "error" : "failure",
        [
          ("message", TextSanitizer.line(message, limit: JUnitReport.messageLimit)), ("type", TextSanitizer.line(type)),
        ],
        text: body)
      if profile == .rich {
        for attempt in c.attempts
        where attempt.index != final?.index && (attempt.outcome == .failed || attempt.outcome == .errored) {
          let failed = attempt.outcome == .failed
          try w.start(failed ? "rerunFailure" : "rerunError")
          try w.attribute(
            "message", TextSanitizer.line(CaseMessages.attemptLine(attempt), limit: JUnitReport.messageLimit))
          try w.attribute("type", failed ? "AssertionFailure" : (attempt.error?.typeName ?? "ProviderError"))
          try w.element(
            "stackTrace", text: TextSanitizer.xml(CaseMessages.attemptDetail(attempt), limit: JUnitReport.bodyLimit))
          try w.end()
        }
      }
      if let output = final?.output {
        try w.element("system-out", text: TextSanitizer.xml(output, limit: JUnitReport.outputLimit))
      }
    }
    try w.end()
  }

  /// A passing case's `<testcase>` with no regression, inside a `<testsuite>`: the bytes ``writeCase(_:name:regression:to:)``
  /// writes for it, written into `f` without the text writer (``XMLFragment``).
  func writePassingCase(_ c: CaseResult, name: String, to f: XMLFragment) {
    f.markup("    <testcase name=\"")
    f.value(TextSanitizer.line(name))
    f.markup("\" classname=\"")
    f.value(JUnitReport.classname(c.suite))
    f.markup("\" time=\"")
    f.value(JUnitReport.seconds(c.durationSeconds))
    guard profile == .rich else {
      f.markup("\"/>\n")
      return
    }
    f.markup("\" file=\"")
    f.value(TextSanitizer.line(c.file))
    if let line = c.line {
      f.markup("\" line=\"")
      f.value(String(line))
    }
    f.markup("\" assertions=\"")
    f.value(String(c.attempts.first(where: { !$0.assertions.isEmpty })?.assertions.count ?? 0))
    f.markup("\">\n      <properties>\n")
    func property(_ name: StaticString, _ value: String) {
      f.markup("        <property name=\"")
      f.markup(name)
      f.markup("\" value=\"")
      f.value(TextSanitizer.line(value, limit: 2000))
      f.markup("\"/>\n")
    }
    property("case.id", c.id.rawValue)
    property("provider", c.provider)
    property("prompt", c.prompt)
    if let score = c.score { property("score", JUnitReport.decimal(score)) }
    var (samples, passes) = (0, 0)
    for attempt in c.attempts where attempt.outcome != .skipped {
      samples += 1
      if attempt.outcome == .passed { passes += 1 }
    }
    property("samples", String(samples))
    property("passes", String(passes))
    if let testID = c.testID { property("test.id", testID) }
    f.markup("      </properties>\n    </testcase>\n")
  }

  /// A case's name before duplicates are told apart: `title [provider]`, with the prompt when its suite
  /// has several.
  public static func baseName(_ c: CaseResult, manyPrompts: Bool) -> String {
    "\(c.title) [\(c.provider)]" + (manyPrompts ? " [prompt=\(c.prompt)]" : "")
  }

  /// Case names unique within their suite: `title [provider]`, with the prompt when a suite has several,
  /// and the case id appended to any name that would still repeat.
  static func uniqueNames(_ cases: some Collection<CaseResult>) -> [String] {
    let names = UniqueNames(cases)
    return cases.map(names.name)
  }

  /// The naming rule of ``uniqueNames(_:)``, made once per suite and then asked case by case: a large suite's
  /// names are counted by their hashes, and only the names whose hash repeats are held as text.
  struct UniqueNames {
    let manyPrompts: Bool
    private let repeated: Set<String>

    init(_ cases: some Collection<CaseResult>) {
      var prompts = Set<String>()
      for c in cases where prompts.count < 2 { prompts.insert(c.prompt) }
      self.init(cases, manyPrompts: prompts.count > 1)
    }

    /// The names of `cases`, whose prompts are known to be several or one. The names are read a second time only
    /// when two hashes repeat.
    init(_ cases: some Collection<CaseResult>, manyPrompts: Bool) {
      var tally = Tally(manyPrompts: manyPrompts)
      for c in cases { tally.add(c) }
      self.init(tally, cases)
    }

    /// The names of `cases`, tallied in `tally`. The names are read a second time only when two hashes repeat.
    init(_ tally: Tally, _ cases: some Collection<CaseResult>) {
      let manyPrompts = tally.manyPrompts
      var counts: [String: Int] = [:]
      if tally.repeats {
        for c in cases {
          let name = JUnitReport.baseName(c, manyPrompts: manyPrompts)
          if tally.hashes[name.hashValue, default: 0] > 1 { counts[name, default: 0] += 1 }
        }
      }
      self.manyPrompts = manyPrompts
      repeated = Set(counts.filter { $0.value > 1 }.keys)
    }

    /// How often each name's hash was seen, over the cases added.
    struct Tally {
      let manyPrompts: Bool
      private(set) var hashes: [Int: Int] = [:]
      /// Whether a hash was seen twice.
      private(set) var repeats = false

      init(manyPrompts: Bool) { self.manyPrompts = manyPrompts }

      mutating func add(_ c: CaseResult) {
        let hash = JUnitReport.baseName(c, manyPrompts: manyPrompts).hashValue
        hashes[hash, default: 0] += 1
        if hashes[hash, default: 0] > 1 { repeats = true }
      }
    }

    /// The case's name in its suite.
    func name(_ c: CaseResult) -> String {
      let name = JUnitReport.baseName(c, manyPrompts: manyPrompts)
      return repeated.contains(name) ? "\(name) (\(c.id.rawValue))" : name
    }
  }

  /// ``uniqueNames(_:)`` for tests.
  public static func uniqueNamesForTesting(_ cases: [CaseResult]) -> [String] { uniqueNames(cases) }

  /// Dots mean packages to Jenkins, so they are replaced in class names.
  static func classname(_ suiteID: String) -> String {
    // Byte by byte: `.` is one byte in UTF-8, and Foundation's `replacingOccurrences` cost 9,000 instructions a
    // case (docs/benchmarks.md, session 14).
    guard suiteID.utf8.contains(UInt8(ascii: ".")) else { return TextSanitizer.line(suiteID) }
    let dotted = suiteID.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "_") : $0 }
    return TextSanitizer.line(String(decoding: dotted, as: UTF8.self))
  }

  /// Seconds with exactly 3 decimals, `.` separator, never negative, independent of locale.
  static func seconds(_ value: Double) -> String {
    let ms = Int64((max(0, value.isFinite ? value : 0) * 1000).rounded())
    let frac = String(ms % 1000)
    return "\(ms / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
  }

  static func decimal(_ value: Double) -> String {
    let scaled = Int64((value * 10000).rounded())
    let sign = scaled < 0 ? "-" : ""
    let a = abs(scaled)
    let frac = String(a % 10000)
    return "\(sign)\(a / 10000)." + String(repeating: "0", count: 4 - frac.count) + frac
  }

  /// `YYYY-MM-DDTHH:MM:SSZ` in UTC.
  static func timestamp(_ date: Date) -> String { UTCTimestamp.seconds(date) }

}
