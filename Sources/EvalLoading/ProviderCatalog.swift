import EvalCore

/// The provider ids evalgate knows, checked at load time so a typo fails before any call.
public enum ProviderCatalog {
  /// Built-in id prefixes and what they are.
  public static let kinds = [
    "openai", "anthropic", "http", "echo", "scripted", "exec", "file", "google", "vertex", "llama", "huggingface",
    "replicate",
  ]

  /// The kinds that call a network endpoint (cached, paced), each with the environment variable that may
  /// hold its base URL ("" when only the config can).
  public static let networkBaseVariables = [
    "openai": "OPENAI_BASE_URL", "anthropic": "ANTHROPIC_BASE_URL", "http": "", "google": "GOOGLE_API_BASE_URL",
    "vertex": "VERTEX_BASE_URL", "llama": "LLAMA_BASE_URL", "huggingface": "HUGGINGFACE_BASE_URL",
    "replicate": "REPLICATE_BASE_URL",
  ]

  /// Config keys of the Gemini providers (`google:`, `vertex:`).
  static let geminiKeys = [
    "apiHost", "apiBaseUrl", "apiVersion", "apiKeyEnvar", "temperature", "topP", "topK", "stopSequences",
    "maxOutputTokens", "generationConfig", "tools", "toolConfig", "safetySettings", "responseSchema",
    "systemInstruction", "headers", "cost", "rateLimit",
  ]

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
        parts.count == 3 && ["chat", "embedding", "moderation"].contains(parts[1])
        ? parts[2] : parts.count == 2 ? parts[1] : ""
      guard !model.isEmpty, parts.count != 3 || ["chat", "embedding", "moderation"].contains(parts[1]) else {
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
    case "google", "vertex":
      guard parts.count >= 2, !parts.dropFirst().joined(separator: ":").isEmpty else {
        throw Diagnostic("provider id '\(spec.id)' needs a model: '\(kind):<model>'", at: spec.location)
      }
      try check(spec, allowed: geminiKeys + (kind == "vertex" ? ["projectId", "region"] : []))
    case "llama":
      try check(spec, allowed: ["baseUrl", "cost", "rateLimit"] + NativeProviderKeys.body)
    case "huggingface":
      guard parts.count == 3, parts[1] == "text-generation", !parts[2].isEmpty else {
        throw Diagnostic(
          "provider '\(spec.id)' is not supported: of Hugging Face's tasks evalgate calls 'huggingface:text-generation:"
            + "<model>'; for chat models use 'openai:chat:<model>' with 'apiBaseUrl: https://router.huggingface.co/v1'",
          at: spec.location)
      }
      try check(spec, allowed: ["apiEndpoint", "apiKeyEnvar", "cost", "rateLimit"] + NativeProviderKeys.huggingFace)
    case "replicate":
      // Every other config key is part of the prediction's input, as in promptfoo.
      guard parts.count >= 2, !parts.dropFirst().joined(separator: ":").isEmpty else {
        throw Diagnostic("provider id '\(spec.id)' needs a model: 'replicate:<owner>/<model>'", at: spec.location)
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

/// The body keys of the llama.cpp and Hugging Face providers, as promptfoo passes them on (the providers in
/// EvalProviders send the same lists).
enum NativeProviderKeys {
  static let body = [
    "n_predict", "temperature", "top_k", "top_p", "n_keep", "stop", "repeat_penalty", "repeat_last_n", "penalize_nl",
    "presence_penalty", "frequency_penalty", "mirostat", "mirostat_tau", "mirostat_eta", "seed", "ignore_eos",
    "logit_bias",
  ]
  static let huggingFace = [
    "top_k", "top_p", "temperature", "repetition_penalty", "max_new_tokens", "max_time", "return_full_text",
    "num_return_sequences", "do_sample", "use_cache", "wait_for_model",
  ]
}
