import Foundation

/// `llm-rubric`: a judge model grades the output against the rubric in `value` (prompt `llm-rubric@1`).
/// Passes on the judge's `pass`, or, with a `threshold`, when its score is at least that. The judge is the
/// assertion's `provider`, else the test's (or `defaultTest`'s) `options.provider`.
public struct LLMRubric: Assertion {
  let rubric: String
  let judgeKey: String
  let minimum: Double?

  /// Builds from a spec with a rubric `value` and a judge.
  public init(_ spec: AssertionSpec) throws {
    rubric = try spec.stringValue()
    guard let judge = spec.judge else {
      throw Diagnostic(
        "'\(spec.displayType)' needs a judge: set 'provider' on the assertion or 'options: { provider: … }' on the "
          + "test or defaultTest")
    }
    judgeKey = judge.key
    minimum = try spec.threshold.map { _ in try spec.unitThreshold(default: 0.5) }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let judge = input.judge else {
      return AssertionOutcome(pass: false, reason: "judge error: no judge available outside a run")
    }
    let messages = JudgePrompts.llmRubric(output: input.output, rubric: rubric)
    switch await JudgeVerdict.ask(judge, key: judgeKey, messages: messages) {
    case .failure(let error):
      return AssertionOutcome(pass: false, reason: "judge error (\(JudgePrompts.llmRubricVersion)): \(error.message)")
    case .success(let v):
      let score = v.score ?? (v.pass == true ? 1 : 0)
      let pass = minimum.map { score + 1e-12 >= $0 } ?? (v.pass ?? (score >= 0.5))
      return AssertionOutcome(
        pass: pass, score: score,
        reason: "judge (\(JudgePrompts.llmRubricVersion)): \(v.reason.isEmpty ? "no reason given" : v.reason)")
    }
  }
}
