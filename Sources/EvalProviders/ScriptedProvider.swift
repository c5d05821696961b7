import EvalCore
import Foundation

/// `scripted`: an offline, rule-based model for examples and tests. The first rule whose `contains`
/// (case-insensitive) or `regex` matches the prompt gives the reply; replies are templates over the
/// case's vars. `default` answers when no rule matches.
///
/// ```yaml
/// providers:
///   - id: scripted
///     config:
///       rules:
///         - contains: refund
///           reply: "You can return items within 30 days."
///       default: "I'm not sure."
/// ```
public struct ScriptedProvider: Provider {
  /// One rule.
  public struct Rule: Sendable {
    /// Case-insensitive substring that selects the rule.
    public var contains: String?
    /// Pattern that selects the rule.
    public var regex: String?
    /// The reply template.
    public var reply: String
  }

  public let label: String
  let rules: [Rule]
  let fallback: String
  let latency: Duration
  let finishReason: String
  let renderer: TemplateRenderer

  /// Builds from a spec's config.
  /// - Throws: ``Diagnostic`` for malformed rules.
  public init(spec: ProviderSpec, renderer: TemplateRenderer) throws {
    label = spec.label
    self.renderer = renderer
    var rules: [Rule] = []
    for (i, item) in (spec.config["rules"]?.arrayValue ?? []).enumerated() {
      guard let o = item.objectValue, let reply = o["reply"]?.stringValue else {
        throw Diagnostic("scripted rule \(i + 1) needs a 'reply' string", at: spec.location)
      }
      for key in o.keys where !["contains", "regex", "reply"].contains(key) {
        throw Diagnostic("scripted rule \(i + 1) has unknown key '\(key)'", at: spec.location)
      }
      let rule = Rule(contains: o["contains"]?.stringValue, regex: o["regex"]?.stringValue, reply: reply)
      guard rule.contains != nil || rule.regex != nil else {
        throw Diagnostic("scripted rule \(i + 1) needs 'contains' or 'regex'", at: spec.location)
      }
      if let pattern = rule.regex, (try? Regex(pattern)) == nil {
        throw Diagnostic("scripted rule \(i + 1) has an invalid regex", at: spec.location)
      }
      rules.append(rule)
    }
    self.rules = rules
    fallback = spec.config["default"]?.stringValue ?? "I don't know."
    latency = .milliseconds(Int(spec.config["latencyMs"]?.numberValue ?? 0))
    finishReason = spec.config["finishReason"]?.stringValue ?? "stop"
  }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    if latency > .zero { try await Task.sleep(for: latency) }
    let prompt = request.promptText
    let lowered = prompt.lowercased()
    let rule = rules.first { rule in
      if let c = rule.contains, lowered.contains(c.lowercased()) { return true }
      if let r = rule.regex, let regex = try? Regex(r), (try? regex.firstMatch(in: prompt)) != nil { return true }
      return false
    }
    let template = rule?.reply ?? fallback
    let text: String
    do {
      text = try renderer.render(template, vars: request.vars)
    } catch {
      throw ProviderError(.configuration, "scripted reply template: \(error)")
    }
    let words = { (s: String) in s.split(whereSeparator: \.isWhitespace).count }
    return Completion(
      text: text, finishReason: finishReason,
      usage: Usage(promptTokens: words(prompt), completionTokens: words(text)), model: "scripted")
  }
}
