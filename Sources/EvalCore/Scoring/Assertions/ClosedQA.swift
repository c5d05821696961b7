import Foundation

/// `model-graded-closedqa`: a judge decides whether the output answers the case's question while meeting
/// the criterion in `value` (prompt `model-graded-closedqa@1`). Passes on the judge's yes.
public struct ClosedQA: ModelGraded {
  let criterion: String
  let judging: Judging
  var promptVersion: String { JudgePrompts.closedQAVersion }

  /// Builds from a spec with a criterion and a judge.
  public init(_ spec: AssertionSpec) throws {
    criterion = try spec.stringValue()
    judging = try Judging(spec, threshold: nil)
  }

  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError> {
    JudgeInputs.need(JudgeInputs.question(input), "question").map {
      JudgePrompts.closedQA(question: $0, submission: input.output, criterion: criterion)
    }
  }
}
