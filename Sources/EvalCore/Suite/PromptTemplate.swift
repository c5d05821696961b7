import Foundation

/// A prompt before templating: plain text (sent as one user message) or a list of chat messages.
public struct PromptTemplate: Sendable, Hashable {
  /// What the prompt holds.
  public enum Body: Sendable, Hashable {
    /// Text sent as a single `user` message (unless it renders to a JSON chat array).
    case text(String)
    /// Chat messages, each templated.
    case messages([MessageTemplate])
    /// A prompt function (`file://prompt.js`, `file://prompt.py:fn`): called with `{vars, provider}` once
    /// per case, it returns the prompt text or chat.
    case function(TransformSpec)
    /// promptfoo's `exec:` prompt: a program run in `directory` with the context `{vars, provider}` as JSON
    /// in its last argument, once per case; its standard output is the prompt.
    case command(String, directory: String)
  }

  /// The explicit `id`, if any; it keeps case ids stable when the prompt text is edited.
  public var id: String?
  /// A short name for reports: `label`, else `id`, else the start of the text.
  public var label: String
  /// The template.
  public var body: Body
  /// Where the prompt is defined.
  public var location: SourceLocation
  /// promptfoo's prompt-level `config`: provider settings merged over each provider's for this prompt.
  public var config: [String: JSONValue] = [:]
  /// Nunjucks' rule, as promptfoo renders: a variable no test defines renders empty (the loader warns once,
  /// see ``UndefinedPromptVariable``) instead of being an error. Set for the prompts of promptfoo configs
  /// only: an evalgate suite keeps refusing it, since it is most often a typo.
  public var undefinedRendersEmpty = false

  /// Creates a prompt.
  public init(id: String? = nil, label: String? = nil, body: Body, location: SourceLocation) {
    self.id = id
    self.body = body
    self.location = location
    self.label = label ?? id ?? PromptTemplate.defaultLabel(for: body)
  }

  /// What identifies the prompt in case ids: the explicit id, else the full template text.
  public var identity: String {
    // A prompt's own config makes it another prompt, even with the same text.
    let configured = config.isEmpty ? "" : "\u{1D}config:" + JSONValue.object(config).canonicalJSON
    if let id { return "id:" + id + configured }
    switch body {
    case .text(let text): return "text:" + text + configured
    case .messages(let messages):
      return "messages:" + messages.map { "\($0.role)\u{1F}\($0.content)" }.joined(separator: "\u{1E}") + configured
    case .function(let f): return "function:" + f.source.text + configured
    case .command(let c, _): return "exec:" + c + configured
    }
  }

  static func defaultLabel(for body: Body) -> String {
    let text: String
    switch body {
    case .text(let t): text = t
    case .messages(let messages):
      text = messages.last(where: { $0.role == "user" })?.content ?? messages.last?.content ?? ""
    case .function(let f): text = f.source.text
    case .command(let c, _): text = "exec:" + c
    }
    let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return oneLine.count > 40 ? String(oneLine.prefix(39)) + "…" : oneLine
  }
}

/// One chat message of a prompt template.
public struct MessageTemplate: Sendable, Hashable, Codable {
  /// `system`, `user`, `assistant` or `tool`.
  public var role: String
  /// Templated content.
  public var content: String

  /// Creates a message.
  public init(role: String, content: String) {
    self.role = role
    self.content = content
  }
}
