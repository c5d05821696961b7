import Foundation

/// What a model-graded assertion provides: its prompt (versioned) and how it turns the judge's reply into
/// a verdict; asking, the one re-ask and the pass rule are shared.
protocol ModelGraded: Assertion {
  /// `name@version` of the prompt.
  var promptVersion: String { get }
  /// The judge provider's key.
  var judgeKey: String { get }
  /// The minimum score to pass, when the assertion passes on the score rather than the judge's `pass`.
  var minimum: Double? { get }
  /// The messages for the judge; `nil` with the reason when the input lacks what the prompt needs.
  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError>
  /// The verdict in a reply.
  func verdict(_ reply: String) -> JudgeVerdict?
  /// What the one re-ask says.
  var reminder: String { get }
}

extension ModelGraded {
  func verdict(_ reply: String) -> JudgeVerdict? { JudgeVerdict.parse(reply) }
  var reminder: String { JudgeVerdict.reminder }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let judge = input.judge else {
      return AssertionOutcome(pass: false, reason: "judge error: no judge available outside a run")
    }
    let messages: [ChatMessage]
    switch self.messages(input) {
    case .failure(let e): return AssertionOutcome(pass: false, reason: "judge error (\(promptVersion)): \(e.message)")
    case .success(let m): messages = m
    }
    switch await JudgeVerdict.ask(judge, key: judgeKey, messages: messages, read: verdict, reminder: reminder) {
    case .failure(let error):
      return AssertionOutcome(pass: false, reason: "judge error (\(promptVersion)): \(error.message)")
    case .success(let v):
      let score = v.score ?? (v.pass == true ? 1 : 0)
      let pass = minimum.map { score + 1e-12 >= $0 } ?? (v.pass ?? (score >= 0.5))
      return AssertionOutcome(
        pass: pass, score: score,
        reason: "judge (\(promptVersion)): \(v.reason.isEmpty ? "no reason given" : v.reason)")
    }
  }
}

/// What the model-graded assertions read from a spec and a case.
enum JudgeInputs {
  /// The judge's key, or the error a suite author sees.
  static func judgeKey(_ spec: AssertionSpec) throws -> String {
    guard let judge = spec.judge else {
      throw Diagnostic(
        "'\(spec.displayType)' needs a judge: set 'provider' on the assertion or 'options: { provider: … }' on the "
          + "test or defaultTest")
    }
    return judge.key
  }

  /// The question: `vars.query`, else `vars.question`, else the prompt sent to the model.
  static func question(_ input: AssertionInput) -> String? {
    input.vars["query"]?.plainText ?? input.vars["question"]?.plainText ?? input.prompt
  }

  /// The retrieved context: `vars.context` (a string, or a list joined by blank lines).
  static func context(_ input: AssertionInput) -> String? {
    switch input.vars["context"] {
    case .array(let items)?: return items.map(\.plainText).joined(separator: "\n\n")
    case let v?: return v.plainText
    case nil: return nil
    }
  }

  static func need(_ value: String?, _ what: String) -> Result<String, JudgeError> {
    guard let value, !value.isEmpty else { return .failure(JudgeError(message: "the case has no \(what)")) }
    return .success(value)
  }
}
