import Foundation

/// `context-faithfulness`: a judge checks that the output's claims are supported by the retrieved
/// context in `vars.context` (prompt `context-faithfulness@1`); the score is the supported share; passes
/// at `threshold` (default 0.7).
public struct ContextFaithfulness: ModelGraded {
  let judging: Judging
  var promptVersion: String { JudgePrompts.contextFaithfulnessVersion }

  /// Builds from a spec with a judge and an optional threshold.
  public init(_ spec: AssertionSpec) throws {
    judging = try Judging(spec, threshold: 0.7)
  }

  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError> {
    JudgeInputs.need(JudgeInputs.context(input), "context (vars.context)").map {
      JudgePrompts.contextFaithfulness(context: $0, answer: input.output)
    }
  }
}
