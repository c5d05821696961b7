import EvalCore
import EvalReports
import Foundation
import Testing

/// `results.jsonl` lines are written by hand for speed; they must stay byte-identical to `JSONEncoder`'s.
struct CaseResultJSONTests {
  static func encoderLine(_ r: CaseResult) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(r)) + [0x0A]
  }

  /// A result with every optional field set, nested assertions, hostile text and awkward numbers.
  static var everything: CaseResult {
    var c = ReportFixtures.evalCase(7, suite: "s", title: "all \"fields\" \\ / \u{1}", line: 3, repeats: 2)
    c.vars = [
      "zeta": .array([.number(1), .number(0.5), .number(1e20), .number(-3), .null, .bool(true)]),
      "alpha": .object(["é": .string("ü\n"), "b": .object([:]), "a": .array([])]),
      // The encoder sorts keys by their UTF-8 bytes: a decomposed é sorts by its plain e, a precomposed one
      // after every ASCII key (`String`'s `<` would compare their letters as equal and order by what follows).
      "e\u{301}/": .number(1), "\u{E9}\r": .number(2), "e\u{7F}": .number(3),
      "big": .number(123_456_789_012_345_678), "tiny": .number(1e-7),
    ]
    c.metadata = ["owner": .string("team/a"), "n": .number(2)]
    c.messages = [ChatMessage(role: "system", content: ReportFixtures.hostile), ChatMessage(role: "user", content: "")]
    let child = AssertionResult(
      spec: AssertionSpec(type: "contains", location: SourceLocation(file: "x.yaml", line: 4)),
      outcome: AssertionOutcome(pass: false, score: 0.25, reason: "tab\there"), children: [])
    var parent = AssertionResult(
      spec: AssertionSpec(type: "assert-set", location: SourceLocation(file: "x.yaml", line: 2)),
      outcome: AssertionOutcome(pass: false, reason: "1 of 2"), children: [child])
    parent.metric = "quality"
    parent.weight = 2.5
    let first = AttemptResult(
      index: 0, outcome: .failed, output: "out \u{1B}[0m\u{7F}\u{2028}", finishReason: "length", model: "m-1",
      latencyMs: 64.82512, retries: 3, timeToFirstTokenMs: 12.5,
      usage: Usage(promptTokens: 10, completionTokens: 20, totalTokens: 30, cachedTokens: 4, reasoningTokens: 6),
      cost: 0.000123, contextIDs: ["doc-1", "doc/2"], cached: true, score: 1.0 / 3, assertions: [parent])
    let second = AttemptResult(
      index: 1, outcome: .errored, latencyMs: 2000, retries: 6,
      error: ProviderError(.rateLimited, "HTTP 429: slow down", status: 429, retryAfterMs: 1500.5))
    return CaseResult(case: c, attempts: [second, first])
  }

  @Test func everyFieldMatchesJSONEncoder() throws {
    let r = Self.everything
    #expect(try JSONReport.line(r) == Self.encoderLine(r))
  }

  @Test func fixtureResultsMatchJSONEncoder() throws {
    for r in ReportFixtures.mixed(hostileOutput: ReportFixtures.hostile).cases {
      #expect(try JSONReport.line(r) == Self.encoderLine(r), "\(r.title)")
    }
  }

  @Test func emptyAndMinimalResultsMatchJSONEncoder() throws {
    var c = ReportFixtures.evalCase(8, suite: "s", title: "", line: 0)
    c.vars = [:]
    c.tags = []
    c.testID = nil
    let r = CaseResult(case: c, attempts: [AttemptResult(index: 0, outcome: .passed, latencyMs: 0, usage: Usage())])
    #expect(try JSONReport.line(r) == Self.encoderLine(r))
  }

  @Test func aLineReadsBackAsTheSameResult() throws {
    let r = Self.everything
    let back = try JSONDecoder().decode(CaseResult.self, from: Data(try JSONReport.line(r)))
    #expect(back == r)
  }
}
