import Foundation

extension Redactor {
  /// A case result with every text a report shows redacted: title, rendered messages, variables,
  /// metadata, and each sample's output, error and assertion reasons.
  public func redact(_ result: CaseResult) -> CaseResult {
    guard !isEmpty, mayReveal(result) else { return result }
    var r = result
    r.title = redact(r.title)
    r.messages = r.messages.map { ChatMessage(role: $0.role, content: redact($0.content)) }
    r.vars = r.vars.mapValues(redact)
    r.metadata = r.metadata.mapValues(redact)
    r.skipReason = r.skipReason.map(redact)
    r.attempts = r.attempts.map(redact)
    return r
  }

  /// Whether any text ``redact(_:)-(CaseResult)`` redacts may hold a secret (`false`: the result is left as it is,
  /// not copied).
  func mayReveal(_ result: CaseResult) -> Bool {
    mayReveal(result.title) || result.messages.contains { mayReveal($0.content) }
      || result.vars.contains { mayReveal($0.key) || mayReveal($0.value) }
      || result.metadata.contains { mayReveal($0.key) || mayReveal($0.value) }
      || result.skipReason.map(mayReveal) == true
      || result.attempts.contains { a in
        a.output.map(mayReveal) == true || a.error.map { mayReveal($0.message) } == true
          || a.assertions.contains(where: mayReveal)
      }
  }

  private func mayReveal(_ value: JSONValue) -> Bool {
    switch value {
    case .string(let s): mayReveal(s)
    case .array(let items): items.contains(where: mayReveal)
    case .object(let members): members.contains { mayReveal($0.key) || mayReveal($0.value) }
    default: false
    }
  }

  private func mayReveal(_ assertion: AssertionResult) -> Bool {
    mayReveal(assertion.reason) || assertion.children?.contains(where: mayReveal) == true
  }

  /// A sample with its output, error message and assertion reasons redacted.
  public func redact(_ attempt: AttemptResult) -> AttemptResult {
    guard !isEmpty else { return attempt }
    var a = attempt
    a.output = a.output.map(redact)
    if let message = a.error?.message { a.error?.message = redact(message) }
    a.assertions = a.assertions.map(redact)
    return a
  }

  /// An assertion result with its reason (and its children's) redacted.
  public func redact(_ assertion: AssertionResult) -> AssertionResult {
    var a = assertion
    a.reason = redact(a.reason)
    a.children = a.children?.map(redact)
    return a
  }
}
