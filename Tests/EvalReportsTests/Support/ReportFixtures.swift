import EvalCore
import Foundation

/// Hand-built run reports with fixed times, so rendered reports are byte-stable.
enum ReportFixtures {
  static let started = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
  static let finished = started.addingTimeInterval(12.3456)

  static func evalCase(
    _ n: Int, suite: String, title: String, provider: String = "model-a", line: Int, repeats: Int = 1
  ) -> EvalCase {
    let plan = ScoringPlan(items: [], threshold: nil)
    return EvalCase(
      id: CaseID(content: .string("\(suite)-\(n)")), suiteID: suite,
      location: SourceLocation(file: "suites/\(suite).yaml", line: line, column: 5), title: title, testID: "t\(n)",
      tags: ["demo"], promptLabel: "prompt-1", providerLabel: provider, providerKey: provider,
      vars: ["question": .string("q\(n)")], messages: [ChatMessage(role: "user", content: "q\(n)")], plan: plan,
      repeatCount: repeats)
  }

  static func failedAssertion(_ type: String, _ reason: String, line: Int) -> AssertionResult {
    AssertionResult(
      spec: AssertionSpec(type: type, location: SourceLocation(file: "x.yaml", line: line)),
      outcome: AssertionOutcome(pass: false, reason: reason), children: [])
  }

  static func passedAssertion(_ type: String) -> AssertionResult {
    AssertionResult(
      spec: AssertionSpec(type: type, location: SourceLocation(file: "x.yaml", line: 3)),
      outcome: AssertionOutcome(pass: true, reason: "ok"), children: [])
  }

  /// A report with a pass, a failure (with a hostile output), an error, a skip and a flaky repeat.
  static func mixed(hostileOutput: String = "plain output") -> RunReport {
    let suiteA = Suite(
      id: "support", file: "suites/support.yaml", description: "Support bot", prompts: [], providers: [], tests: [])
    let suiteB = Suite(id: "extract.v2", file: "suites/extract.v2.yaml", prompts: [], providers: [], tests: [])
    let usage = Usage(promptTokens: 10, completionTokens: 5)
    let results = [
      CaseResult(
        case: evalCase(1, suite: "support", title: "refund window", line: 10),
        attempts: [
          AttemptResult(
            index: 0, outcome: .passed, output: "30 days", finishReason: "stop", latencyMs: 120.5, usage: usage,
            score: 1,
            assertions: [passedAssertion("contains")])
        ]),
      CaseResult(
        case: evalCase(2, suite: "support", title: "hostile <output> & \"quotes\"", line: 20),
        attempts: [
          AttemptResult(
            index: 0, outcome: .failed, output: hostileOutput, finishReason: "stop", latencyMs: 2001, usage: usage,
            score: 0.5,
            assertions: [
              passedAssertion("is-json"), failedAssertion("contains", "output does not contain \"]]>\"", line: 24),
            ])
        ]),
      CaseResult(
        case: evalCase(3, suite: "support", title: "endpoint down", line: 30),
        attempts: [
          AttemptResult(
            index: 0, outcome: .errored, latencyMs: 3.25,
            error: ProviderError(.http, "HTTP 503 Service Unavailable: overloaded", status: 503))
        ]),
      CaseResult(
        case: evalCase(4, suite: "extract.v2", title: "never ran", line: 5),
        attempts: [AttemptResult(index: 0, outcome: .skipped, latencyMs: 0)],
        skipReason: "run interrupted before this case ran"),
      CaseResult(
        case: evalCase(5, suite: "extract.v2", title: "flaky", line: 9, repeats: 3),
        attempts: [
          AttemptResult(
            index: 0, outcome: .passed, output: "{}", latencyMs: 10, score: 1, assertions: [passedAssertion("is-json")]),
          AttemptResult(
            index: 1, outcome: .failed, output: "nope", latencyMs: 11, score: 0,
            assertions: [failedAssertion("is-json", "output is not valid JSON: \"nope\"", line: 12)]),
          AttemptResult(
            index: 2, outcome: .errored, latencyMs: 12, error: ProviderError(.timeout, "no response within 30 s")),
        ]),
    ]
    return RunReport(
      tool: .init(name: "evalgate", version: "0.1.0"), startedAt: started, finishedAt: finished, interrupted: false,
      settings: .init(concurrency: 8, timeoutMs: 30_000), suites: [suiteA, suiteB], cases: results, gate: Gate())
  }

  /// `mixed()` plus a retrieval fixture of three queries: `ndcg@3` gated and failing, `mrr@10` shown.
  static func withRetrieval(description: String = "FAQ retriever") throws -> RunReport {
    let here = SourceLocation(file: "suites/faq.yaml", line: 4, column: 7)
    let fixture = RetrievalFixture(
      id: "faq", file: "suites/faq.yaml", description: description,
      queries: [
        .init(id: "q1", judgments: ["a": 2, "b": 1, "c": 0], ranking: .ordered(["c", "a", "x"]), location: here),
        .init(id: "q2", judgments: ["d": 1], ranking: .ordered(["d", "e"]), location: here),
        .init(id: "q3", judgments: ["f": 1], ranking: .ordered(["g", "h", "i"]), location: here),
      ],
      measures: try RetrievalMeasure.parse(["ndcg@3", "mrr@10"]), thresholds: ["ndcg@3": .init(min: 0.8)])
    var report = mixed()
    report.add(retrieval: [RetrievalResult(fixture: fixture, evaluation: try fixture.evaluate())])
    return report
  }

  /// Text that breaks naive XML writers.
  static let hostile: String = {
    var s = "ESC[31mred\u{1B}[0m NUL:\u{0} FFFE:\u{FFFE} BEL:\u{07} cdata-end:]]> tag:<tag attr=\"x\">&amp; CR:\r\nend"
    s += " OSC:\u{1B}]0;title\u{07} done"
    return s
  }()
}
