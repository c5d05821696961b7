import Foundation

/// A configured model endpoint as written in a suite or `evalgate.yaml`, before it is built.
public struct ProviderSpec: Sendable, Hashable {
  /// The provider id: `openai:chat:<model>`, `echo`, `scripted`, `exec:<command>`.
  public var id: String
  /// The name shown in reports and used in case ids: `label`, else the id.
  public var label: String
  /// Provider-specific settings (`apiBaseUrl`, `apiKeyEnvar`, `temperature`, `max_tokens`, `seed`, …).
  public var config: [String: JSONValue]
  /// Where it is defined.
  public var location: SourceLocation
  /// promptfoo's `providers[].prompts`: the labels or ids of the prompts sent to this provider (`nil`: all).
  public var prompts: [String]?

  /// Creates a provider spec.
  public init(id: String, label: String? = nil, config: [String: JSONValue] = [:], location: SourceLocation) {
    self.id = id
    self.label = label ?? id
    self.config = config
    self.location = location
  }

  /// This provider with a prompt's own `config` merged over its config (the prompt's keys win, as in
  /// promptfoo); itself when the prompt sets none.
  public func merging(promptConfig: [String: JSONValue]) -> ProviderSpec {
    guard !promptConfig.isEmpty else { return self }
    var out = self
    out.config.merge(promptConfig) { _, prompt in prompt }
    return out
  }

  /// The provider kind: the id up to its first `:` (`openai`, `anthropic`, `http`, `exec`, …).
  public var kind: String { String(id.prefix { $0 != ":" }) }

  /// Identifies one configured endpoint within a run: two specs with the same key share one provider.
  public var key: String {
    JSONValue.object(["id": .string(id), "label": .string(label), "config": .object(config)]).canonicalJSON
  }
}

extension ProviderSpec {
  /// promptfoo's `transformResponse` on an `http` provider: inline JavaScript over `json`, `text` and
  /// `context`, or a `file://` function (its path made absolute at load time).
  public var responseTransform: TransformSpec? {
    guard let text = config["transformResponse"]?.stringValue else { return nil }
    let source = CodeSource.parse(text)
    let language: CodeLanguage
    if case .file(let path, _) = source { language = CodeLanguage.of(file: path) } else { language = .javascript }
    return TransformSpec(language: language, source: source, location: location)
  }
}
