/// What a judge model said, read robustly from its reply: the JSON object `{pass, score, reason}` alone,
/// in a code fence, or with prose around it. A reply without such an object (garbage, cut off) is
/// unusable: the assertion asks once more, then fails with a judge error, never passing silently.
public struct JudgeVerdict: Sendable, Hashable {
  /// The judge's pass, when it gave one.
  public var pass: Bool?
  /// The judge's score in 0…1, when it gave one.
  public var score: Double?
  /// The judge's reason.
  public var reason: String

  /// Reads a reply; `nil` when it holds no usable verdict.
  public static func parse(_ reply: String) -> JudgeVerdict? {
    guard let json = JSONExtraction.whole(reply) ?? JSONExtraction.embedded(reply), let o = json.objectValue else {
      return nil
    }
    var pass: Bool?
    switch o["pass"] {
    case .bool(let b)?: pass = b
    case .string(let s)?:
      pass =
        ["true", "yes", "pass"].contains(s.lowercased())
        ? true : ["false", "no", "fail"].contains(s.lowercased()) ? false : nil
    default: pass = nil
    }
    var score: Double?
    if case .number(let x)? = o["score"] { score = x > 1 && x <= 10 ? x / 10 : x }
    guard pass != nil || score != nil else { return nil }
    if let s = score, !(0...1).contains(s) { return nil }
    return JudgeVerdict(pass: pass, score: score, reason: o["reason"]?.stringValue ?? "")
  }

  /// The follow-up that asks for the verdict alone.
  public static let reminder =
    "Reply with only the JSON object {\"pass\": true|false, \"score\": 0.0-1.0, \"reason\": \"…\"}."

  /// Asks `judge`; a reply without a verdict (as `read` sees it) gets one follow-up asking for the JSON
  /// alone.
  /// - Returns: the verdict, or the reason there is none (`judge error: …`).
  public static func ask(
    _ judge: JudgeCall, key: String, messages: [ChatMessage], read: (String) -> JudgeVerdict? = JudgeVerdict.parse,
    reminder: String = JudgeVerdict.reminder, sample: Int = 0
  ) async -> Result<JudgeVerdict, JudgeError> {
    var conversation = messages
    var lastReply = ""
    for attempt in 0..<2 {
      switch await judge(key, conversation, sample) {
      case .failure(let error):
        return .failure(JudgeError(message: "judge call failed: \(error.message)", kind: error.kind))
      case .success(let reply):
        if let verdict = read(reply) { return .success(verdict) }
        lastReply = reply
        if attempt == 0 {
          conversation += [
            ChatMessage(role: "assistant", content: reply),
            ChatMessage(role: "user", content: reminder),
          ]
        }
      }
    }
    return .failure(
      JudgeError(
        message: "unusable judge reply after one re-ask: \(excerpt(lastReply, limit: 60))", kind: .malformedResponse))
  }
}

/// Why a judge gave no verdict.
public struct JudgeError: Error, Sendable, Hashable {
  /// One line.
  public var message: String
  /// What failed: the judge call's own kind (`unreachable`, `timeout`, `http`, …), `malformed_response`
  /// for a reply without a verdict, `configuration` for a case that lacks what the prompt needs.
  public var kind: ProviderError.Kind = .other
}
