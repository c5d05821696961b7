import EvalCore
import Foundation
import Testing

@testable import EvalReports

/// A passing case's `<testcase>` is written without libxml2's text writer (``XMLFragment``): the bytes must be the
/// text writer's, whatever the names, files, prompts and ids hold.
struct JUnitPassingCaseTests {
  /// Text a case's fields may hold: markup, quotes, entities, controls, line ends, tabs, non-ASCII, NUL, long runs.
  static let pieces = [
    "", "plain", "a=1, b=2", "<tag attr=\"v\">", "'single' & \"double\"", "&amp; &lt; ]]>", "line\nbreak", "tab\there",
    "cr\r\nlf", "\u{0}nul", "\u{1B}[31mred\u{1B}[0m", "emoji 🎉 e\u{301} \u{202E}rtl", "\u{7F}\u{1}\u{1F}", "x.y.z",
    "ünïcødé", String(repeating: "long <&> ", count: 300), "\u{FFFE}\u{FFFF}", "{{ var }}",
  ]

  static func passingCase(_ generator: inout SplitMix64) -> CaseResult {
    func pick() -> String { pieces[Int(generator.next() % UInt64(pieces.count))] + pieces[Int(generator.next() % 4)] }
    let suite = pick()
    let location = SourceLocation(file: pick(), line: Int(generator.next() % 3), column: 1)
    var c = EvalCase(
      id: generator.next() % 5 == 0 ? CaseID(rawValue: pick()) : CaseID(content: .string(pick())), suiteID: suite,
      location: location, title: pick(), testID: generator.next() % 2 == 0 ? pick() : nil, tags: [],
      promptLabel: pick(), providerLabel: pick(), providerKey: "k", vars: [:], messages: [],
      plan: ScoringPlan(items: [], threshold: nil), repeatCount: 1)
    c.repeatCount = 1 + Int(generator.next() % 3)
    let assertions = (0..<Int(generator.next() % 3)).map { _ in ReportFixtures.passedAssertion("contains") }
    var attempts = (0..<c.repeatCount).map { i in
      AttemptResult(
        index: i, outcome: .passed, output: pick(), latencyMs: Double(generator.next() % 100_000) / 7,
        score: generator.next() % 3 == 0 ? nil : Double(generator.next() % 10_000) / 9999, assertions: assertions)
    }
    if generator.next() % 4 == 0 {
      attempts.append(AttemptResult(index: attempts.count, outcome: .skipped, latencyMs: 0))
    }
    return CaseResult(case: c, attempts: attempts)
  }

  @Test(arguments: JUnitReport.Profile.allCases)
  func aPassingCaseIsTheTextWritersBytes(profile: JUnitReport.Profile) throws {
    let renderer = try JUnitCaseRenderer(JUnitReport(profile: profile, hostname: "h"))
    var generator = SplitMix64(seed: profile == .rich ? 15 : 16)
    for _ in 0..<400 {
      let c = Self.passingCase(&generator)
      #expect(c.outcome == .passed)
      let name = JUnitReport.baseName(c, manyPrompts: generator.next() % 2 == 0)
      let fast = try renderer.render(c, name: name)
      let written = try renderer.written(c, name: name)
      #expect(
        fast == written, "\(String(decoding: fast, as: UTF8.self))\n!=\n\(String(decoding: written, as: UTF8.self))")
    }
  }
}

/// The printable-ASCII check that lets most names and values through `TextSanitizer.line` untouched.
struct PrintableASCIITests {
  @Test func everyByteIsJudgedAsTheByteRangeSays() {
    for byte in UInt8.min...UInt8.max where byte < 0x80 {
      let text = "ab" + String(UnicodeScalar(byte)) + "cd"
      #expect(TextSanitizer.isPrintableASCII(text) == (0x20..<0x7F).contains(byte), "byte \(byte)")
    }
    var generator = SplitMix64(seed: 3)
    for _ in 0..<2000 {
      let bytes = (0..<Int(generator.next() % 40)).map { _ in UInt8(truncatingIfNeeded: generator.next() % 140) }
      let text = String(decoding: bytes, as: UTF8.self)
      #expect(TextSanitizer.isPrintableASCII(text) == text.utf8.allSatisfy { (0x20..<0x7F).contains($0) })
    }
    #expect(TextSanitizer.isPrintableASCII("émoji 🎉") == false)
    #expect(TextSanitizer.isPrintableASCII(""))
  }
}
