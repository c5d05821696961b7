import Foundation

/// `g-eval`: a judge writes evaluation steps for the criteria in `value`, applies them and rates the
/// output 1–10 (prompt `g-eval@1`); the score is the rating / 10; passes at `threshold` (default 0.7).
public struct GEval: ModelGraded {
  let criteria: String
  let judging: Judging
  var promptVersion: String { JudgePrompts.gEvalVersion }
  var reminder: String { "Reply with only the JSON object {\"score\": 1 to 10, \"reason\": \"…\"}." }

  /// Builds from a spec with the criteria and a judge.
  public init(_ spec: AssertionSpec) throws {
    criteria = try spec.stringValue()
    judging = try Judging(spec, threshold: 0.7)
  }

  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError> {
    .success(JudgePrompts.gEval(criteria: criteria, input: input.prompt, output: input.output))
  }

  /// A 1–10 rating, whatever scale word the judge adds.
  func verdict(_ reply: String) -> JudgeVerdict? {
    guard let o = (JSONExtraction.whole(reply) ?? JSONExtraction.embedded(reply))?.objectValue,
      case .number(let rating)? = o["score"], (1...10).contains(rating)
    else { return nil }
    return JudgeVerdict(pass: nil, score: rating / 10, reason: o["reason"]?.stringValue ?? "")
  }
}
