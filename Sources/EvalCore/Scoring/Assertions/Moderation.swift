import Foundation

/// `moderation`: the output is not flagged by a moderation model, as promptfoo's. The moderation provider is
/// the assertion's `provider`: OpenAI's moderation endpoint (`openai:moderation:<model>`, the default), whose
/// flagged `categories` count, or a Llama Guard model (`replicate:moderation:<model>`), asked about the prompt
/// and the output, whose `unsafe` verdict lists the categories (`S1`…`S14`). With a `value` (a list of
/// categories), only those count.
public struct Moderation: Assertion {
  let key: String
  let llamaGuard: Bool
  let categories: Set<String>?

  /// Builds from a spec with a moderation provider and optional categories.
  public init(_ spec: AssertionSpec) throws {
    key = try JudgeInputs.judgeKey(spec)
    llamaGuard = spec.judge?.providerKind == .replicate
    switch spec.value {
    case nil, .null?: categories = nil
    case .array(let items)?:
      categories = Set(items.compactMap(\.stringValue))
      guard categories?.count == items.count else {
        throw Diagnostic("'\(spec.displayType)' 'value' must be a list of category names")
      }
    case .string(let one)?: categories = [one]
    default: throw Diagnostic("'\(spec.displayType)' 'value' must be a list of category names")
    }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let judge = input.judge else {
      return .errored("moderation error: no moderation provider available outside a run", kind: .configuration)
    }
    let message =
      llamaGuard
      ? "Human: \(input.prompt ?? "")\n\nAssistant: \(input.output)" : input.output
    switch await judge(key, [ChatMessage(role: "user", content: message)], 0) {
    case .failure(let e): return .errored("moderation error: \(e.message)", kind: e.kind)
    case .success(let reply):
      guard let flags = Moderation.flags(in: reply) else {
        return .errored("moderation error: unusable reply \(excerpt(reply, limit: 40))", kind: .malformedResponse)
      }
      let counted = flags.filter { categories?.contains($0) ?? true }
      if counted.isEmpty {
        return AssertionOutcome(
          pass: true, reason: flags.isEmpty ? "not flagged" : "flagged only outside the categories checked")
      }
      return AssertionOutcome(pass: false, reason: "flagged: \(counted.sorted().joined(separator: ", "))")
    }
  }

  /// The flagged categories in a moderation reply: OpenAI's `{categories: {name: bool}}`, or Llama Guard's
  /// `safe` / `unsafe` followed by a line of codes; `nil` for anything else.
  static func flags(in reply: String) -> [String]? {
    if let o = JSONValue.parse(reply)?.objectValue, let categories = o["categories"]?.objectValue {
      return categories.filter { $0.value == .bool(true) }.map(\.key)
    }
    let lines = reply.trimmingCharacters(in: .whitespacesAndNewlines).split(whereSeparator: \.isNewline)
    guard let verdict = lines.first?.trimmingCharacters(in: .whitespaces).lowercased() else { return nil }
    if verdict == "safe" { return [] }
    guard verdict == "unsafe" else { return nil }
    let codes = lines.dropFirst().first.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    return (codes ?? []).filter { !$0.isEmpty }.isEmpty ? ["unsafe"] : (codes ?? []).filter { !$0.isEmpty }
  }
}
