import Foundation

/// `answer-relevance`: a judge rates how directly the output addresses the case's question
/// (`vars.query`, `vars.question` or the prompt; prompt `answer-relevance@1`), 0–1; passes at
/// `threshold` (default 0.7).
public struct AnswerRelevance: ModelGraded {
  let judging: Judging
  var promptVersion: String { JudgePrompts.answerRelevanceVersion }

  /// Builds from a spec with a judge and an optional threshold.
  public init(_ spec: AssertionSpec) throws {
    judging = try Judging(spec, threshold: 0.7)
  }

  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError> {
    JudgeInputs.need(JudgeInputs.question(input), "question").map {
      JudgePrompts.answerRelevance(question: $0, answer: input.output)
    }
  }
}
