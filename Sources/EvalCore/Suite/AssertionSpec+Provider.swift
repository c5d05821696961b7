import Foundation

extension AssertionSpec {
  /// The types that, without a `value`, check the output against the schemas the provider was sent, and the
  /// provider config key holding them.
  public static let providerSchemaKeys = [
    "is-valid-openai-tools-call": "tools", "is-valid-openai-function-call": "functions",
  ]

  /// This spec (and its `llm-rubric` children) with the test's `options.rubricPrompt` where it sets none.
  public func withRubricPrompt(_ prompt: JSONValue?) -> AssertionSpec {
    guard let prompt else { return self }
    var out = self
    if type == "llm-rubric", out.rubricPrompt == nil { out.rubricPrompt = prompt }
    out.children = children.map { $0.withRubricPrompt(prompt) }
    return out
  }

  /// This spec (and its children) with the provider's `tools` or `functions` as the value of a tools-call
  /// or function-call assertion that has none, as promptfoo reads them from the provider's config.
  public func withProviderSchemas(_ config: [String: JSONValue]) -> AssertionSpec {
    var out = self
    if value == nil, let key = AssertionSpec.providerSchemaKeys[type], let schemas = config[key] {
      out.value = schemas
    }
    out.children = children.map { $0.withProviderSchemas(config) }
    return out
  }
}
