import Foundation

/// What a model-graded assertion provides: its prompt (versioned) and how it turns the judge's reply into
/// a verdict; asking, the one re-ask and the pass rule are shared.
protocol ModelGraded: Assertion {
  /// `name@version` of the prompt.
  var promptVersion: String { get }
  /// The judge, the pass rule and the repeats.
  var judging: Judging { get }
  /// The messages for the judge; `nil` with the reason when the input lacks what the prompt needs.
  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError>
  /// The verdict in a reply.
  func verdict(_ reply: String) -> JudgeVerdict?
  /// What the one re-ask says.
  var reminder: String { get }
}

/// What every model-graded assertion reads from its spec: the judge, the minimum score (when it passes
/// on the score rather than the judge's `pass`), and how many verdicts to take and how to combine them.
struct Judging: Sendable {
  /// The judge provider's key.
  let key: String
  /// The minimum score to pass; `nil` to pass on the judge's `pass`.
  let minimum: Double?
  /// Verdicts to take (`judgeRepeats`).
  let count: Int
  /// Combine by the mean score rather than the majority (`judgeAggregate: mean`).
  let mean: Bool

  /// Reads a spec; `threshold` is the default minimum (`nil`: only a configured threshold sets one).
  init(_ spec: AssertionSpec, threshold fallback: Double?) throws {
    key = try JudgeInputs.judgeKey(spec)
    minimum =
      try fallback.map { try spec.unitThreshold(default: $0) }
      ?? spec.threshold.map { _ in try spec.unitThreshold(default: 0.5) }
    count = spec.judgeRepeats
    mean = spec.judgeAggregate == "mean"
  }
}

extension ModelGraded {
  func verdict(_ reply: String) -> JudgeVerdict? { JudgeVerdict.parse(reply) }
  var reminder: String { JudgeVerdict.reminder }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let judge = input.judge else {
      return .errored("judge error: no judge available outside a run", kind: .configuration)
    }
    let messages: [ChatMessage]
    switch self.messages(input) {
    case .failure(let e): return .errored("judge error (\(promptVersion)): \(e.message)", kind: e.kind)
    case .success(let m): messages = m
    }
    // Each sample is its own call (and its own cached answer); a sample without a verdict is left out.
    var verdicts: [JudgeVerdict] = []
    var lastError: JudgeError?
    for sample in 0..<max(judging.count, 1) {
      switch await JudgeVerdict.ask(
        judge, key: judging.key, messages: messages, read: verdict, reminder: reminder, sample: sample)
      {
      case .failure(let error): lastError = error
      case .success(let v): verdicts.append(v)
      }
    }
    guard !verdicts.isEmpty else {
      return .errored(
        "judge error (\(promptVersion)): \(lastError?.message ?? "no verdict")", kind: lastError?.kind ?? .other)
    }
    let scores = verdicts.map { $0.score ?? ($0.pass == true ? 1 : 0) }
    let passes = zip(verdicts, scores).map { v, score in
      judging.minimum.map { score + 1e-12 >= $0 } ?? (v.pass ?? (score >= 0.5))
    }
    let score = scores.reduce(0, +) / Double(scores.count)
    let pass =
      judging.mean
      ? score + 1e-12 >= (judging.minimum ?? 0.5) : passes.filter { $0 }.count * 2 > passes.count
    let reason = verdicts.first { !$0.reason.isEmpty }?.reason ?? "no reason given"
    let tally = verdicts.count > 1 ? " [\(passes.filter { $0 }.count) of \(verdicts.count) verdicts pass]" : ""
    return AssertionOutcome(pass: pass, score: score, reason: "judge (\(promptVersion)): \(reason)\(tally)")
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
    guard let value, !value.isEmpty else {
      return .failure(JudgeError(message: "the case has no \(what)", kind: .configuration))
    }
    return .success(value)
  }
}
