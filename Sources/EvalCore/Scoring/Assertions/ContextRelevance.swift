import Foundation

/// `context-relevance`: a judge rates the share of the retrieved context in `vars.context` that is relevant
/// to the case's question (prompt `context-relevance@1`); passes at `threshold` (default 0.7).
public struct ContextRelevance: ModelGraded {
  let judging: Judging
  var promptVersion: String { JudgePrompts.contextRelevanceVersion }

  /// Builds from a spec with a judge and an optional threshold.
  public init(_ spec: AssertionSpec) throws {
    judging = try Judging(spec, threshold: 0.7)
  }

  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError> {
    guard let question = JudgeInputs.question(input) else {
      return .failure(JudgeError(message: "the case has no question", kind: .configuration))
    }
    return JudgeInputs.need(JudgeInputs.context(input), "context (vars.context)").map {
      JudgePrompts.contextRelevance(question: question, context: $0)
    }
  }
}
