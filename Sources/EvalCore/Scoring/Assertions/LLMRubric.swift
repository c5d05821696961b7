import Foundation

/// `llm-rubric`: a judge model grades the output against the rubric in `value` (prompt `llm-rubric@1`).
/// Passes on the judge's `pass`, or, with a `threshold`, when its score is at least that. The judge is the
/// assertion's `provider`, else the test's (or `defaultTest`'s) `options.provider`. With promptfoo's
/// `rubricPrompt`, that template (reading `output`, `rubric` and the vars) is the judge's prompt instead:
/// a list of `{role, content}`, or text that is one user message unless it renders to such a list.
public struct LLMRubric: ModelGraded {
  let rubric: String
  let judging: Judging
  /// The `rubricPrompt`: a text template, or one per message.
  let custom: [(role: String?, template: TemplateRenderer.Compiled)]?
  var promptVersion: String { custom == nil ? JudgePrompts.llmRubricVersion : "llm-rubric@rubricPrompt" }

  /// Builds from a spec with a rubric `value`, a judge and an optional `rubricPrompt`.
  public init(_ spec: AssertionSpec) throws {
    rubric = try spec.stringValue()
    judging = try Judging(spec, threshold: nil)
    switch spec.rubricPrompt {
    case nil, .null?: custom = nil
    case .string(let text)?: custom = [(nil, try TemplateRenderer().compile(text))]
    case .array(let messages)? where messages.allSatisfy({ $0.objectValue?["content"]?.stringValue != nil }):
      custom = try messages.map { m in
        (
          m.objectValue?["role"]?.stringValue ?? "user",
          try TemplateRenderer().compile(m.objectValue?["content"]?.stringValue ?? "")
        )
      }
    default:
      throw Diagnostic("'rubricPrompt' must be text or a list of {role, content} messages")
    }
  }

  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError> {
    guard let custom else { return .success(JudgePrompts.llmRubric(output: input.output, rubric: rubric)) }
    var vars = input.vars
    vars["output"] = .string(input.output)
    vars["rubric"] = .string(rubric)
    do {
      if custom.count == 1, custom[0].role == nil {
        let text = try custom[0].template.render(vars)
        return .success(Expansion.chatArray(text) ?? [ChatMessage(role: "user", content: text)])
      }
      return .success(try custom.map { ChatMessage(role: $0.role ?? "user", content: try $0.template.render(vars)) })
    } catch {
      return .failure(JudgeError(message: "'rubricPrompt' does not render: \(error)", kind: .configuration))
    }
  }
}
