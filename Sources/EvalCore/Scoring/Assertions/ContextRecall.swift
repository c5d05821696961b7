import Foundation

/// `context-recall`: a judge checks how much of the expected answer in `value` the retrieved context in
/// `vars.context` supports (prompt `context-recall@1`); passes at `threshold` (default 0.7). Grades the
/// retriever, not the output.
public struct ContextRecall: ModelGraded {
  let expected: String
  let judging: Judging
  var promptVersion: String { JudgePrompts.contextRecallVersion }

  /// Builds from a spec with the expected answer and a judge.
  public init(_ spec: AssertionSpec) throws {
    expected = try spec.stringValue()
    judging = try Judging(spec, threshold: 0.7)
  }

  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError> {
    JudgeInputs.need(JudgeInputs.context(input), "context (vars.context)").map {
      JudgePrompts.contextRecall(context: $0, expected: expected)
    }
  }
}
