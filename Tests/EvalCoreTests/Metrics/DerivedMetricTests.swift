import EvalCore
import Testing

struct DerivedMetricTests {
  @Test(arguments: [
    ("Consistency * 2", 3.0), ("2 * tp / (2 * tp + fp + fn)", 0.8), ("-tp + 2 ^ 3 ^ 0", 0.0), ("APE / __count", 0.5),
    ("max(tp, fp, 7) + min(1, 2)", 8.0), ("sqrt(16) + abs(-1) + round(2.4)", 7.0), ("missing + 1", 1.0),
    ("10 % 4", 2.0),
  ])
  func evaluates(text: String, expected: Double) throws {
    let scores = ["Consistency": 1.5, "tp": 2, "fp": 1, "fn": 0, "APE": 2, "__count": 4]
    #expect(try MetricExpression(text).evaluate(scores) == expected)
  }

  @Test(arguments: ["a *", "(a + b", "foo(1)", "max()", "a b", "1..2"])
  func rejectsMalformedExpressions(text: String) {
    #expect(throws: Diagnostic.self) { _ = try MetricExpression(text) }
  }

  static func result(prompt: String, metrics: [(String, Double)]) -> CaseResult {
    let here = SourceLocation(file: "s.yaml", line: 1)
    let plan = ScoringPlan(items: [], threshold: nil)
    let c = EvalCase(
      id: CaseID(rawValue: prompt + "\(metrics)"), suiteID: "s", location: here, title: "t", promptLabel: prompt,
      providerLabel: "p", providerKey: "p", vars: [:], messages: [], plan: plan)
    let results = metrics.map { name, score in
      var spec = AssertionSpec(type: "equals", location: here)
      spec.metric = name
      return AssertionResult(
        spec: spec, outcome: AssertionOutcome(pass: score == 1, score: score, reason: ""), children: [])
    }
    return CaseResult(
      case: c, attempts: [AttemptResult(index: 0, outcome: .passed, latencyMs: 1, score: 1, assertions: results)])
  }

  @Test func namedScoresAreSummedPerPromptAndProviderThenDerivedInOrder() throws {
    let cases = [
      Self.result(prompt: "pirate", metrics: [("Tone", 1), ("Tone", 0)]),  // Tone 0.5 in this sample
      Self.result(prompt: "pirate", metrics: [("Tone", 1), ("Consistency", 1)]),
      Self.result(prompt: "sailor", metrics: [("Consistency", 0)]),
    ]
    let here = SourceLocation(file: "s.yaml", line: 3)
    let metrics = [
      DerivedMetric(name: "Double", expression: try MetricExpression("Consistency * 2"), location: here),
      DerivedMetric(name: "ToneRate", expression: try MetricExpression("Tone / __count + Double"), location: here),
      DerivedMetric(name: "Ratio", expression: try MetricExpression("Tone / Consistency"), location: here),
    ]
    let values = DerivedMetric.values(metrics, cases: cases)
    let byKey = Dictionary(uniqueKeysWithValues: values.map { ("\($0.prompt).\($0.name)", $0) })
    #expect(byKey["pirate.Double"]?.value == 2)
    #expect(byKey["pirate.ToneRate"]?.value == 1.5 / 2 + 2)
    #expect(byKey["sailor.Double"]?.value == 0)
    // 0 / 0: no value, and a note saying why.
    #expect(byKey["sailor.Ratio"]?.value == nil)
    #expect(byKey["sailor.Ratio"]?.note?.contains("not a number") == true)
  }
}
