import Foundation

/// `answer-relevance`: a judge rates how directly the output addresses the case's question
/// (`vars.query`, `vars.question` or the prompt; prompt `answer-relevance@1`), 0–1; passes at
/// `threshold` (default 0.7).
public struct AnswerRelevance: ModelGraded {
  let judgeKey: String
  let repeats: JudgeRepeats
  let minimum: Double?
  var promptVersion: String { JudgePrompts.answerRelevanceVersion }

  /// Builds from a spec with a judge and an optional threshold.
  public init(_ spec: AssertionSpec) throws {
    judgeKey = try JudgeInputs.judgeKey(spec)
    repeats = JudgeRepeats(spec)
    minimum = try spec.unitThreshold(default: 0.7)
  }

  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError> {
    JudgeInputs.need(JudgeInputs.question(input), "question").map {
      JudgePrompts.answerRelevance(question: $0, answer: input.output)
    }
  }
}
