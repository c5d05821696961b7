import EvalCore
import EvalReports
import EvalTestSupport
import Foundation
import Testing

struct JUnitReportTests {
  static let needsReference = Testing.ConditionTrait.enabled(
    if: XMLChecker.referenceAvailable,
    "needs ../shared/reference/junit (the JUnit XSDs beside the checkout); not present, so schema checks are skipped")

  static let hostileOutputs: [String] = [
    ReportFixtures.hostile,
    "\u{0}\u{1}\u{2}\u{8}\u{B}\u{C}\u{1F}\u{7F}",
    "]]>]]>]]><![CDATA[ x ]]>",
    "<script>alert(1)</script><tag/>&lt;",
    String(repeating: "long line with <tags> & ]]> and \u{1B}[1mbold\u{1B}[0m ", count: 4000),  // ~200 kB
    "emoji 🎉 and combining e\u{301} and RTL \u{202E}txet",
  ]

  @Test(Self.needsReference, arguments: Self.hostileOutputs.indices)
  func richOutputIsWellFormedAndValid(index: Int) throws {
    let xml = try JUnitReport(profile: .rich).render(ReportFixtures.mixed(hostileOutput: Self.hostileOutputs[index]))
    #expect(XMLChecker.isWellFormed(xml))
    #expect(XMLChecker.validates(xml, schema: "consumer-superset.xsd"))
    try Self.checkCounts(xml)
  }

  @Test(Self.needsReference, arguments: Self.hostileOutputs.indices)
  func strictOutputValidatesAgainstBothJenkinsSchemas(index: Int) throws {
    let xml = try JUnitReport(profile: .strict).render(ReportFixtures.mixed(hostileOutput: Self.hostileOutputs[index]))
    #expect(XMLChecker.isWellFormed(xml))
    #expect(XMLChecker.validates(xml, schema: "junit5-jenkins-junit.xsd"))
    #expect(XMLChecker.validates(xml, schema: "jenkins-xunit-junit-10.xsd"))
    try Self.checkCounts(xml)
    #expect(XMLChecker.count(xml, "//testcase/@file") == 0)
    #expect(XMLChecker.count(xml, "//rerunFailure") == 0)
  }

  @Test func wellFormedEvenWithoutTheReferenceFolder() throws {
    for output in Self.hostileOutputs {
      #expect(
        XMLChecker.isWellFormed(try JUnitReport(profile: .rich).render(ReportFixtures.mixed(hostileOutput: output))))
    }
  }

  /// Declared counts equal the elements actually present, per suite and in total.
  static func checkCounts(_ xml: [UInt8]) throws {
    #expect(XMLChecker.count(xml, "/testsuites/testsuite") == 2)
    #expect(XMLChecker.count(xml, "//testcase") == 5)
    #expect(XMLChecker.string(xml, "string(/testsuites/@tests)") == "5")
    #expect(XMLChecker.string(xml, "string(/testsuites/@failures)") == "2")
    #expect(XMLChecker.string(xml, "string(/testsuites/@errors)") == "1")
    #expect(XMLChecker.count(xml, "//testcase/failure") == 2)
    #expect(XMLChecker.count(xml, "//testcase/error") == 1)
    #expect(XMLChecker.count(xml, "//testcase/skipped") == 1)
    for suite in 1...2 {
      let tests = XMLChecker.string(xml, "string(/testsuites/testsuite[\(suite)]/@tests)")
      #expect(tests == String(XMLChecker.count(xml, "/testsuites/testsuite[\(suite)]/testcase")))
      let failures = XMLChecker.string(xml, "string(/testsuites/testsuite[\(suite)]/@failures)")
      #expect(failures == String(XMLChecker.count(xml, "/testsuites/testsuite[\(suite)]/testcase/failure")))
    }
  }

  @Test func hostileTextIsCleanedNotDropped() throws {
    let xml = try JUnitReport(profile: .rich).render(ReportFixtures.mixed(hostileOutput: ReportFixtures.hostile))
    let out = try #require(XMLChecker.string(xml, "string(//testcase[failure]/system-out)"))
    #expect(out.contains("#x00"))
    #expect(out.contains("#xFFFE"))
    #expect(out.contains("cdata-end:]]>"))
    #expect(out.contains("<tag attr=\"x\">&amp;"))
    #expect(!out.contains("\u{1B}"))
    #expect(out.contains("red NUL"))
    #expect(!out.contains("\r"))
  }

  @Test func longOutputKeepsHeadAndTailWithAMarker() throws {
    let big = "HEAD" + String(repeating: "x", count: 400_000) + "TAIL"
    let xml = try JUnitReport().render(ReportFixtures.mixed(hostileOutput: big))
    let out = try #require(XMLChecker.string(xml, "string(//testcase[failure]/system-out)"))
    #expect(out.hasPrefix("HEAD"))
    #expect(out.hasSuffix("TAIL"))
    #expect(out.contains("…[truncated "))
    #expect(out.count < 300_000)
  }

  @Test func richCasesPointAtTheSuiteYAML() throws {
    let xml = try JUnitReport().render(ReportFixtures.mixed())
    #expect(XMLChecker.string(xml, "string(//testcase[1]/@file)") == "suites/support.yaml")
    #expect(XMLChecker.string(xml, "string(//testcase[1]/@line)") == "10")
    #expect(XMLChecker.string(xml, "string(//testcase[failure]/failure/@type)") == "AssertionFailure")
    #expect(XMLChecker.string(xml, "string(//testcase[error]/error/@type)") == "http_503")
    #expect(XMLChecker.string(xml, "string(//testsuite[2]/testcase[1]/@classname)") == "extract_v2")
  }

  @Test func repeatsStayInOneTestcaseWithRerunElements() throws {
    let xml = try JUnitReport().render(ReportFixtures.mixed())
    #expect(XMLChecker.count(xml, "//testcase[contains(@name, 'flaky')]") == 1)
    #expect(XMLChecker.count(xml, "//testcase[contains(@name, 'flaky')]/rerunError") == 1)
    #expect(
      XMLChecker.string(xml, "string(//testcase[contains(@name, 'flaky')]/failure/@message)")?
        .hasPrefix("failed 1 of 3 samples") == true)
  }

  @Test func timesHaveThreeDecimalsAndTimestampsAreUTC() throws {
    let xml = try JUnitReport().render(ReportFixtures.mixed())
    #expect(XMLChecker.string(xml, "string(/testsuites/@time)") == "12.346")
    #expect(XMLChecker.string(xml, "string(//testcase[1]/@time)") == "0.121")
    #expect(XMLChecker.string(xml, "string(/testsuites/@timestamp)") == "2026-01-01T00:00:00Z")
  }

  @Test func duplicateNamesGetTheCaseID() {
    let a = CaseResult(case: ReportFixtures.evalCase(1, suite: "s", title: "same", line: 1), attempts: [])
    let b = CaseResult(case: ReportFixtures.evalCase(2, suite: "s", title: "same", line: 2), attempts: [])
    let names = JUnitReport.uniqueNamesForTesting([a, b])
    #expect(Set(names).count == 2)
    #expect(names[0].hasSuffix("(\(a.id.rawValue))"))
  }

  @Test func aSuiteOfSeveralPromptsNamesItsCasesAsTheNamingRuleDoes() throws {
    // Two prompts, and titles that repeat under one prompt, under both, and not at all.
    let specs: [(title: String, prompt: String)] = [
      ("same", "p1"), ("same", "p1"), ("same", "p2"), ("other", "p1"), ("other", "p2"), ("one] [x", "p1"),
    ]
    let cases = specs.enumerated().map { n, spec in
      var c = CaseResult(
        case: ReportFixtures.evalCase(n, suite: "s", title: spec.title, line: n + 1),
        attempts: [AttemptResult(index: 0, outcome: .passed, latencyMs: 1)])
      c.prompt = spec.prompt
      return c
    }
    let suite = Suite(id: "s", file: "suites/s.yaml", prompts: [], providers: [], tests: [])
    let report = RunReport(
      tool: .init(name: "evalgate", version: "0.1.0"), startedAt: Date(timeIntervalSince1970: 0),
      finishedAt: Date(timeIntervalSince1970: 1), interrupted: false, settings: .init(concurrency: 1, timeoutMs: 1000),
      suites: [suite], cases: CaseList(cases), gate: Gate())
    let xml = String(decoding: try JUnitReport(profile: .rich).render(report), as: UTF8.self)
    let expected = JUnitReport.uniqueNamesForTesting(cases)
    #expect(expected.filter { $0.contains("(") }.count == 2)
    for name in expected {
      let attribute = name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
      #expect(xml.contains("<testcase name=\"\(attribute)\""), "\(name)")
    }
  }

  @Test(Self.needsReference, arguments: [JUnitReport.Profile.rich, .strict])
  func retrievalFixturesAreTestcasesPerMeasure(profile: JUnitReport.Profile) throws {
    let xml = try JUnitReport(profile: profile).render(
      try ReportFixtures.withRetrieval(description: ReportFixtures.hostile))
    if profile == .rich {
      #expect(XMLChecker.validates(xml, schema: "consumer-superset.xsd"))
    } else {
      #expect(XMLChecker.validates(xml, schema: "junit5-jenkins-junit.xsd"))
      #expect(XMLChecker.validates(xml, schema: "jenkins-xunit-junit-10.xsd"))
    }
    #expect(XMLChecker.count(xml, "/testsuites/testsuite") == 3)
    #expect(XMLChecker.string(xml, "string(/testsuites/@tests)") == "7")
    #expect(XMLChecker.string(xml, "string(/testsuites/@failures)") == "3")
    let suite = "/testsuites/testsuite[@name='retrieval: faq']"
    #expect(XMLChecker.count(xml, "\(suite)/testcase") == 2)
    #expect(XMLChecker.string(xml, "string(\(suite)/@failures)") == "1")
    let failure = XMLChecker.string(xml, "string(\(suite)/testcase[@name='ndcg@3']/failure/@message)")
    #expect(failure == "faq: ndcg@3 = 0.4932 < min 0.8")
    // The failure body names the worst queries, lowest first.
    let body = XMLChecker.string(xml, "string(\(suite)/testcase[@name='ndcg@3']/failure)")
    #expect(body?.contains("worst queries:\n  q3: 0\n  q1: 0.4796\n  q2: 1") == true, "\(String(describing: body))")
  }

  @Test func goldenRetrieval() throws {
    try assertSnapshot(
      try JUnitReport(profile: .rich).render(try ReportFixtures.withRetrieval()), named: "junit-retrieval.xml")
  }

  @Test func goldenRich() throws {
    try assertSnapshot(try JUnitReport(profile: .rich).render(ReportFixtures.mixed()), named: "junit-rich.xml")
  }

  @Test func goldenStrict() throws {
    try assertSnapshot(try JUnitReport(profile: .strict).render(ReportFixtures.mixed()), named: "junit-strict.xml")
  }

  /// Cases rendered during the run are spliced in byte for byte; a fragment under a name the case no
  /// longer has (a duplicate title got its id appended) is rendered again.
  @Test(arguments: JUnitReport.Profile.allCases)
  func fragmentsRenderedAheadGiveTheSameDocument(profile: JUnitReport.Profile) throws {
    let report = ReportFixtures.mixed(hostileOutput: "out \u{1B}[31mred\u{1B}[0m\nline two ]]> <tag>")
    let junit = JUnitReport(profile: profile, hostname: "ci-7")
    let renderer = try JUnitCaseRenderer(junit)
    var fragments: [CaseID: JUnitReport.Fragment] = [:]
    for c in report.cases { fragments[c.id] = try renderer.fragment(c, manyPrompts: false) }
    let whole = try junit.render(report)
    #expect(try junit.render(report, fragments: fragments) == whole)
    // A stale fragment is not used.
    let first = try #require(report.cases.first)
    fragments[first.id] = JUnitReport.Fragment(name: "old name", bytes: Array("    <testcase name=\"stale\"/>\n".utf8))
    let spliced = try junit.render(report, fragments: fragments)
    #expect(spliced == whole)
    #expect(!String(decoding: spliced, as: UTF8.self).contains("stale"))
    // A valid one is used as it is.
    let name = JUnitReport.baseName(first, manyPrompts: false)
    fragments[first.id] = JUnitReport.Fragment(name: name, bytes: Array("    <testcase name=\"ahead\"/>\n".utf8))
    let used = String(decoding: try junit.render(report, fragments: fragments), as: UTF8.self)
    #expect(used.contains("<testcase name=\"ahead\"/>\n    <testcase"))
  }

  @Test func randomBytesNeverBreakTheXML() throws {
    var generator = SplitMix64(seed: 7)
    for _ in 0..<200 {
      let length = Int(generator.next() % 200)
      let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      let text = String(decoding: bytes, as: UTF8.self)
      let xml = try JUnitReport().render(ReportFixtures.mixed(hostileOutput: text))
      #expect(XMLChecker.isWellFormed(xml), "bytes: \(bytes)")
    }
  }
}

/// A small seeded generator for fuzz inputs.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
