import EvalCore

/// The provider ids evalgate knows, checked at load time so a typo fails before any call.
public enum ProviderCatalog {
  /// Built-in id prefixes and what they are.
  public static let kinds = ["openai", "anthropic", "http", "echo", "scripted", "exec", "file"]

  /// The kinds that call a network endpoint (cached, paced), each with the environment variable that may
  /// hold its base URL ("" when only the config can).
  public static let networkBaseVariables = ["openai": "OPENAI_BASE_URL", "anthropic": "ANTHROPIC_BASE_URL", "http": ""]

  /// Checks the id's shape and config keys.
  /// - Throws: ``Diagnostic`` at the provider's location.
  public static func validate(_ spec: ProviderSpec) throws {
    let parts = spec.id.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    let kind = parts[0]
    _ = try rateLimit(spec)
    _ = try configuredPrice(spec)
    switch kind {
    case "openai":
      let model =
        parts.count == 3 && (parts[1] == "chat" || parts[1] == "embedding")
        ? parts[2] : parts.count == 2 ? parts[1] : ""
      guard !model.isEmpty, parts.count != 3 || parts[1] == "chat" || parts[1] == "embedding" else {
        throw Diagnostic(
          "provider id '\(spec.id)' needs a model: 'openai:chat:<model>', 'openai:embedding:<model>' or "
            + "'openai:<model>'", at: spec.location)
      }
      try check(
        spec,
        allowed: [
          "apiBaseUrl", "apiHost", "apiKeyEnvar", "temperature", "max_tokens", "max_completion_tokens", "top_p", "seed",
          "stop", "presence_penalty", "frequency_penalty", "response_format", "headers", "stream", "timeoutMs", "cost",
          "rateLimit", "tools", "tool_choice", "functions", "function_call", "reasoning_effort", "verbosity",
          "parallel_tool_calls", "apiVersion", "apiKeyOptional",
        ])
    case "anthropic":
      let model = parts.count == 3 && parts[1] == "messages" ? parts[2] : parts.count == 2 ? parts[1] : ""
      guard !model.isEmpty, parts.count != 3 || parts[1] == "messages" else {
        throw Diagnostic(
          "provider id '\(spec.id)' needs a model: 'anthropic:messages:<model>' or 'anthropic:<model>'",
          at: spec.location)
      }
      try check(
        spec,
        allowed: [
          "apiBaseUrl", "apiKeyEnvar", "anthropicVersion", "max_tokens", "temperature", "top_p", "top_k",
          "stop_sequences", "headers", "cost", "rateLimit", "tools", "tool_choice",
        ])
    case "http":
      try check(
        spec,
        allowed: [
          "url", "method", "headers", "body", "output", "contextIds", "promptTokens", "completionTokens", "cost",
          "transformResponse",
        ])
      guard spec.config["url"]?.stringValue != nil else {
        throw Diagnostic("provider 'http' needs a 'url'", at: spec.location)
      }
    case "file":
      // A code provider (`file://provider.py`): its config is the code's own (promptfoo's `options.config`).
      break
    case "echo":
      try check(spec, allowed: [])
    case "scripted":
      try check(spec, allowed: ["rules", "default", "latencyMs", "finishReason"])
    case "exec":
      guard parts.count >= 2, !parts.dropFirst().joined(separator: ":").isEmpty else {
        throw Diagnostic("provider id '\(spec.id)' needs a command: 'exec:<command>'", at: spec.location)
      }
      try check(spec, allowed: ["env", "workingDir", "cost"])
    default:
      throw Diagnostic(
        "unknown provider '\(spec.id)'" + Suggestion.didYouMean(kind, in: kinds)
          + (Suggestion.nearest(to: kind, in: kinds) == nil ? "; known: \(kinds.joined(separator: ", "))" : ""),
        at: spec.location)
    }
  }

  /// The price a provider's config sets with `cost: {input, output}` (USD per 1M tokens), if any.
  public static func configuredPrice(_ spec: ProviderSpec) throws -> Price? {
    guard let cost = spec.config["cost"] else { return nil }
    guard let o = cost.objectValue, let input = o["input"]?.numberValue, let output = o["output"]?.numberValue,
      o.count == 2, input >= 0, output >= 0
    else {
      throw Diagnostic("'cost' must be {input: <USD per 1M tokens>, output: <USD per 1M tokens>}", at: spec.location)
    }
    return Price(input: input, output: output)
  }

  /// The price that applies to a provider: its own `cost`, else the project's or the list price of its
  /// model; offline providers cost nothing; `nil` when unknown.
  public static func price(for spec: ProviderSpec, table: PriceTable) throws -> Price? {
    if let own = try configuredPrice(spec) { return own }
    switch spec.kind {
    case "echo", "scripted": return Price(input: 0, output: 0)
    case "openai", "anthropic": return spec.id.split(separator: ":").last.flatMap { table.price(for: String($0)) }
    default: return nil
    }
  }

  /// A provider's `rateLimit: {requestsPerMinute, tokensPerMinute}`, if set.
  public static func rateLimit(_ spec: ProviderSpec) throws -> Throttle.Limits? {
    guard let value = spec.config["rateLimit"] else { return nil }
    guard let o = value.objectValue, !o.isEmpty,
      o.keys.allSatisfy({ $0 == "requestsPerMinute" || $0 == "tokensPerMinute" }),
      o.values.allSatisfy({ ($0.numberValue ?? 0) > 0 })
    else {
      throw Diagnostic(
        "'rateLimit' must be {requestsPerMinute: N, tokensPerMinute: N} with positive numbers", at: spec.location)
    }
    return Throttle.Limits(
      requestsPerMinute: o["requestsPerMinute"]?.numberValue, tokensPerMinute: o["tokensPerMinute"]?.numberValue)
  }

  static func check(_ spec: ProviderSpec, allowed: [String]) throws {
    for key in spec.config.keys.sorted() where !allowed.contains(key) {
      throw Diagnostic(
        "unknown config key '\(key)' for provider '\(spec.id)'" + Suggestion.didYouMean(key, in: allowed),
        at: spec.location)
    }
  }
}
