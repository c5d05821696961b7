/// A built-in provider kind (the id up to its first `:`), with the facts about it that loading, the
/// provider factory, the response cache, pacing and the run's warnings read: described here once.
public enum ProviderKind: String, CaseIterable, Sendable {
  case openai, anthropic, http, echo, scripted, exec, file, google, vertex, llama, huggingface, replicate

  /// How the list price of a provider's model is found when its config sets no `cost`.
  public enum PriceLookup: Sendable, Equatable {
    /// Offline: it costs nothing.
    case free
    /// The model is the id's last `:` component, looked up in the price table.
    case modelInID
    /// Unknown.
    case none
  }

  /// What is known about one kind.
  public struct Descriptor: Sendable {
    /// The config keys it accepts; `nil` when any key is its own (a prediction's input, a code provider's config).
    public var configKeys: [String]?
    /// Whether it calls a network endpoint (its responses are cached, its calls paced).
    public var isNetwork: Bool
    /// The environment variable that may hold its base URL; `nil` when only the config can set it.
    public var baseURLVariable: String?
    /// How its list price is found.
    public var priceLookup: PriceLookup
    /// The config fields that cap the completion's tokens, first found wins; a single-model server may
    /// ignore them, which the run warns about.
    public var tokenLimitFields: [String]
    /// Whether the id names the model asked for (its last `:` component), which a single-model server may
    /// answer with another model, which the run warns about.
    public var modelInID: Bool
    /// The environment variables that may hold its API key, in the order they are tried (`apiKeyEnvar`
    /// in the config overrides them); every run redacts the values of all of them.
    public var apiKeyVariables: [String] = []
  }

  /// The kind's description.
  public var descriptor: Descriptor {
    switch self {
    case .openai:
      Descriptor(
        configKeys: [
          "apiBaseUrl", "apiHost", "apiKeyEnvar", "temperature", "max_tokens", "max_completion_tokens", "top_p", "seed",
          "stop", "presence_penalty", "frequency_penalty", "response_format", "headers", "stream", "timeoutMs", "cost",
          "rateLimit", "tools", "tool_choice", "functions", "function_call", "reasoning_effort", "verbosity",
          "parallel_tool_calls", "apiVersion", "apiKeyOptional",
        ], isNetwork: true, baseURLVariable: "OPENAI_BASE_URL", priceLookup: .modelInID,
        tokenLimitFields: ["max_completion_tokens", "max_tokens"], modelInID: true, apiKeyVariables: ["OPENAI_API_KEY"])
    case .anthropic:
      Descriptor(
        configKeys: [
          "apiBaseUrl", "apiKeyEnvar", "anthropicVersion", "max_tokens", "temperature", "top_p", "top_k",
          "stop_sequences", "headers", "cost", "rateLimit", "tools", "tool_choice",
        ], isNetwork: true, baseURLVariable: "ANTHROPIC_BASE_URL", priceLookup: .modelInID,
        tokenLimitFields: ["max_completion_tokens", "max_tokens"], modelInID: true,
        apiKeyVariables: ["ANTHROPIC_API_KEY"])
    case .http:
      Descriptor(
        configKeys: [
          "url", "method", "headers", "body", "output", "contextIds", "promptTokens", "completionTokens", "cost",
          "transformResponse",
        ], isNetwork: true, baseURLVariable: nil, priceLookup: .none, tokenLimitFields: [], modelInID: false)
    case .echo:
      Descriptor(
        configKeys: [], isNetwork: false, baseURLVariable: nil, priceLookup: .free, tokenLimitFields: [],
        modelInID: false)
    case .scripted:
      Descriptor(
        configKeys: ["rules", "default", "latencyMs", "finishReason"], isNetwork: false, baseURLVariable: nil,
        priceLookup: .free, tokenLimitFields: [], modelInID: false)
    case .exec:
      Descriptor(
        configKeys: ["env", "workingDir", "cost"], isNetwork: false, baseURLVariable: nil, priceLookup: .none,
        tokenLimitFields: [], modelInID: false)
    case .file:
      Descriptor(
        configKeys: nil, isNetwork: false, baseURLVariable: nil, priceLookup: .none, tokenLimitFields: [],
        modelInID: false)
    case .google:
      Descriptor(
        configKeys: ProviderKind.geminiKeys, isNetwork: true, baseURLVariable: "GOOGLE_API_BASE_URL",
        priceLookup: .none, tokenLimitFields: [], modelInID: false,
        apiKeyVariables: ["GOOGLE_API_KEY", "GEMINI_API_KEY"])
    case .vertex:
      Descriptor(
        configKeys: ProviderKind.geminiKeys + ["projectId", "region"], isNetwork: true,
        baseURLVariable: "VERTEX_BASE_URL", priceLookup: .none, tokenLimitFields: [], modelInID: false,
        apiKeyVariables: ["VERTEX_API_KEY"])
    case .llama:
      Descriptor(
        configKeys: ["baseUrl", "cost", "rateLimit"] + ProviderKind.llamaBodyKeys, isNetwork: true,
        baseURLVariable: "LLAMA_BASE_URL", priceLookup: .none, tokenLimitFields: [], modelInID: false)
    case .huggingface:
      Descriptor(
        configKeys: ["apiEndpoint", "apiKeyEnvar", "cost", "rateLimit"] + ProviderKind.huggingFaceBodyKeys,
        isNetwork: true, baseURLVariable: "HUGGINGFACE_BASE_URL", priceLookup: .none, tokenLimitFields: [],
        modelInID: false, apiKeyVariables: ["HF_TOKEN", "HF_API_TOKEN"])
    case .replicate:
      // Every other config key is part of the prediction's input, as in promptfoo.
      Descriptor(
        configKeys: nil, isNetwork: true, baseURLVariable: "REPLICATE_BASE_URL", priceLookup: .none,
        tokenLimitFields: [], modelInID: false, apiKeyVariables: ["REPLICATE_API_TOKEN", "REPLICATE_API_KEY"])
    }
  }

  /// Config keys of the Gemini providers (`google:`, `vertex:`).
  static let geminiKeys = [
    "apiHost", "apiBaseUrl", "apiVersion", "apiKeyEnvar", "temperature", "topP", "topK", "stopSequences",
    "maxOutputTokens", "generationConfig", "tools", "toolConfig", "safetySettings", "responseSchema",
    "systemInstruction", "headers", "cost", "rateLimit",
  ]

  /// The body keys of the llama.cpp provider, as promptfoo passes them on.
  public static let llamaBodyKeys = [
    "n_predict", "temperature", "top_k", "top_p", "n_keep", "stop", "repeat_penalty", "repeat_last_n", "penalize_nl",
    "presence_penalty", "frequency_penalty", "mirostat", "mirostat_tau", "mirostat_eta", "seed", "ignore_eos",
    "logit_bias",
  ]

  /// The body keys of the Hugging Face text-generation provider, as promptfoo passes them on.
  public static let huggingFaceBodyKeys = [
    "top_k", "top_p", "temperature", "repetition_penalty", "max_new_tokens", "max_time", "return_full_text",
    "num_return_sequences", "do_sample", "use_cache", "wait_for_model",
  ]

  /// The model a spec asks for, where its kind names it in the id (`openai:chat:<model>` → `<model>`);
  /// `nil` for other kinds and for an id that is the kind alone.
  public static func requestedModel(of spec: ProviderSpec) -> String? {
    guard let kind = spec.providerKind, kind.descriptor.modelInID,
      let model = spec.id.split(separator: ":").last.map(String.init), model != kind.rawValue
    else { return nil }
    return model
  }

  /// The completion-token cap a spec's config sets in one of its kind's token-limit fields (the first
  /// found), with the field's name; `nil` when none is set.
  public static func tokenLimit(of spec: ProviderSpec) -> (field: String, limit: Int)? {
    for field in spec.providerKind?.descriptor.tokenLimitFields ?? [] {
      if let n = spec.config[field]?.numberValue { return (field, Int(n)) }
    }
    return nil
  }
}

extension ProviderSpec {
  /// The built-in kind of this provider; `nil` for an id evalgate does not know.
  public var providerKind: ProviderKind? { ProviderKind(rawValue: kind) }
}
