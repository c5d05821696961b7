import Foundation

/// `llm-rubric`: a judge model grades the output against the rubric in `value` (prompt `llm-rubric@1`).
/// Passes on the judge's `pass`, or, with a `threshold`, when its score is at least that. The judge is the
/// assertion's `provider`, else the test's (or `defaultTest`'s) `options.provider`.
public struct LLMRubric: ModelGraded {
  let rubric: String
  let judging: Judging
  var promptVersion: String { JudgePrompts.llmRubricVersion }

  /// Builds from a spec with a rubric `value` and a judge.
  public init(_ spec: AssertionSpec) throws {
    rubric = try spec.stringValue()
    judging = try Judging(spec, threshold: nil)
  }

  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError> {
    .success(JudgePrompts.llmRubric(output: input.output, rubric: rubric))
  }
}
