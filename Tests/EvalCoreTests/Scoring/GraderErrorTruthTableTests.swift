import EvalCore
import Testing

/// Every model-graded assertion × {the grader passes, fails, errors} × {plain, `not-`, inside an
/// `assert-set`, weighted with a test threshold}: negation applies to a verdict, never to an error, and an
/// error makes the sample errored (never passed, never failed).
struct GraderErrorTruthTableTests {
  enum Grader: String, CaseIterable, Sendable {
    case pass, fail, error, unreachable
  }

  enum Placement: String, CaseIterable, Sendable {
    case plain, negated, inSet, thresholded
  }

  /// Per assertion: its value, the case's vars, and the judge's (or embedder's) reply that passes and fails.
  struct Kind: Sendable, CustomTestStringConvertible {
    var type: String
    var value: JSONValue?
    var vars: [String: JSONValue] = [:]
    var passing: String
    var failing: String
    var testDescription: String { type }
  }

  static let context: [String: JSONValue] = ["context": "Paris is the capital of France."]
  static let kinds: [Kind] = [
    Kind(type: "llm-rubric", value: "answers the question", passing: #"{"pass": true}"#, failing: #"{"pass": false}"#),
    Kind(type: "factuality", value: "Paris", passing: #"{"category": "A"}"#, failing: #"{"category": "D"}"#),
    Kind(
      type: "model-graded-closedqa", value: "names a city", passing: #"{"pass": true}"#, failing: #"{"pass": false}"#),
    Kind(type: "answer-relevance", passing: #"{"score": 0.9}"#, failing: #"{"score": 0.1}"#),
    Kind(type: "context-faithfulness", vars: context, passing: #"{"score": 1}"#, failing: #"{"score": 0}"#),
    Kind(type: "context-recall", value: "Paris", vars: context, passing: #"{"score": 1}"#, failing: #"{"score": 0}"#),
    Kind(type: "context-relevance", vars: context, passing: #"{"score": 1}"#, failing: #"{"score": 0}"#),
    Kind(type: "g-eval", value: "coherent", passing: #"{"score": 9}"#, failing: #"{"score": 1}"#),
    // The embedder answers a vector: the same for output and expected text passes, orthogonal fails.
    Kind(type: "similar", value: "Paris", passing: "[1, 0]", failing: "[0, 1]"),
    Kind(type: "similar:dot", value: "Paris", passing: "[1, 0]", failing: "[0, 1]"),
    Kind(type: "similar:euclidean", value: "Paris", passing: "[1, 0]", failing: "[0, 1]"),
  ]

  /// The grader's answer to one call: a verdict, or a failure of the call.
  static func call(_ kind: Kind, _ grader: Grader) -> JudgeCall {
    { _, messages, _ in
      switch grader {
      case .pass: return .success(kind.passing)
      case .fail:
        // Embedders: the expected text gets [1, 0], the output [0, 1].
        if kind.type.hasPrefix("similar") {
          return .success(messages.last?.content == "Paris" ? "[1, 0]" : "[0, 1]")
        }
        return .success(kind.failing)
      case .error: return .success("I cannot help with that.")  // no verdict, no vector
      case .unreachable: return .failure(ProviderError(.unreachable, "judge unreachable after 5 connection failures"))
      }
    }
  }

  static func plan(_ kind: Kind, _ placement: Placement) throws -> ScoringPlan {
    var spec = AssertionSpec(
      type: kind.type, negated: placement == .negated, value: kind.value, location: Harness.here)
    spec.judge = ProviderSpec(id: "openai:chat:judge", location: Harness.here)
    switch placement {
    case .plain, .negated:
      return try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    case .inSet:
      let contains = AssertionSpec(type: "contains", value: "Paris", location: Harness.here)
      let set = AssertionSpec(type: "assert-set", children: [contains, spec], location: Harness.here)
      return try ScoringPlan.build([set], threshold: nil, registry: .standard)
    case .thresholded:
      var weighted = spec
      weighted.weight = 2
      let contains = AssertionSpec(type: "contains", value: "Paris", location: Harness.here)
      return try ScoringPlan.build([contains, weighted], threshold: 0.5, registry: .standard)
    }
  }

  @Test(arguments: kinds, Placement.allCases)
  func negationAppliesToVerdictsNeverToErrors(kind: Kind, placement: Placement) async throws {
    let plan = try Self.plan(kind, placement)
    for grader in Grader.allCases {
      let input = AssertionInput(
        output: "Paris.", vars: kind.vars, judge: Self.call(kind, grader), prompt: "What is the capital of France?")
      let verdict = await Scorer.score(plan, input)
      let label = "\(kind.type) \(placement) grader=\(grader): \(verdict.results.map(\.reason))"
      switch grader {
      case .error, .unreachable:
        #expect(verdict.error != nil && !verdict.pass, "\(label)")
        #expect(verdict.results.contains { $0.isError }, "\(label)")
        if grader == .unreachable { #expect(verdict.error?.kind == .unreachable, "\(label)") }
      case .pass:
        #expect(verdict.error == nil, "\(label)")
        #expect(verdict.pass == (placement != .negated), "\(label)")
      case .fail:
        #expect(verdict.error == nil, "\(label)")
        // Weighted 2 against contains' 1: the failed grader leaves 1/3 < 0.5.
        #expect(verdict.pass == (placement == .negated), "\(label)")
      }
    }
  }

  /// A definite failure of another assertion still fails the sample when a grader errored (it is known to
  /// fail whatever the grader would have said); with a threshold the score cannot be known: errored.
  @Test func aDefiniteFailureDecidesWithoutAThresholdAnErrorWithOne() async throws {
    var rubric = AssertionSpec(type: "llm-rubric", value: "x", location: Harness.here)
    rubric.judge = ProviderSpec(id: "openai:chat:judge", location: Harness.here)
    let failing = AssertionSpec(type: "contains", value: "Berlin", location: Harness.here)
    let down: JudgeCall = { _, _, _ in .failure(ProviderError(.unreachable, "down")) }
    let input = AssertionInput(output: "Paris.", judge: down)
    let plain = await Scorer.score(
      try ScoringPlan.build([failing, rubric], threshold: nil, registry: .standard), input)
    #expect(!plain.pass && plain.error == nil)
    let weighted = await Scorer.score(
      try ScoringPlan.build([failing, rubric], threshold: 0.5, registry: .standard), input)
    #expect(!weighted.pass && weighted.error?.kind == .unreachable)
    // A grader with weight 0 is shown but not counted: its error does not stop the sample.
    var ignored = rubric
    ignored.weight = 0
    let passing = AssertionSpec(type: "contains", value: "Paris", location: Harness.here)
    let free = await Scorer.score(
      try ScoringPlan.build([passing, ignored], threshold: nil, registry: .standard), input)
    #expect(free.pass && free.error == nil)
  }
}
