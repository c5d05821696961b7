import Foundation

/// `conversation-relevance`: a judge decides, for each assistant reply of the conversation (the earlier
/// turns in `vars._conversation`, `{input, output}` each, then this case's prompt and output), whether it is
/// relevant to what the user said within the last `config.windowSize` turns (default 5), as promptfoo's;
/// the score is the share of relevant replies, passing at `threshold` (default 0.5). Difference: one judge
/// call rates every reply, where promptfoo makes one call per window (prompt `conversation-relevance@1`).
public struct ConversationRelevance: ModelGraded {
  let judging: Judging
  let windowSize: Int
  var promptVersion: String { JudgePrompts.conversationRelevanceVersion }

  /// Builds from a spec with a judge, an optional threshold and an optional `config.windowSize`.
  public init(_ spec: AssertionSpec) throws {
    judging = try Judging(spec, threshold: 0.5)
    let size = spec.config?.objectValue?["windowSize"]?.numberValue ?? 5
    guard size >= 1, size == size.rounded() else {
      throw Diagnostic("'\(spec.displayType)' 'config.windowSize' must be a whole number ≥ 1")
    }
    windowSize = Int(size)
  }

  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError> {
    var turns: [(String, String)] = []
    for turn in input.vars["_conversation"]?.arrayValue ?? [] {
      let o = turn.objectValue ?? [:]
      turns.append((o["input"]?.plainText ?? "", o["output"]?.plainText ?? ""))
    }
    guard let question = JudgeInputs.question(input) else {
      return .failure(JudgeError(message: "the case has no prompt", kind: .configuration))
    }
    turns.append((question, input.output))
    return .success(JudgePrompts.conversationRelevance(turns: turns, windowSize: windowSize))
  }
}
