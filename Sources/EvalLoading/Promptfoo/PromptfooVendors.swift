import EvalCore

/// Provider ids of the OpenAI-compatible vendors promptfoo lists, mapped onto evalgate's `openai:chat:`
/// provider with the vendor's base URL and key variable; ids evalgate cannot call are refused by name.
///
/// A vendor's base URL comes from the config (`apiBaseUrl`), else the environment variable `<VENDOR>_BASE_URL`
/// (evalgate's addition, so a local or test server can stand in), else the vendor's own. Its key comes from
/// `apiKeyEnvar`, else the vendor's variable (`GROQ_API_KEY`, …): never from `OPENAI_API_KEY`, so one
/// vendor's key is not sent to another.
enum PromptfooVendors {
  /// One vendor: its base URL and the variables holding its base URL and key.
  struct Vendor {
    var baseURL: String
    var baseVariable: String
    var keyVariable: String
    /// False for local servers (Ollama), which need no key.
    var keyRequired = true
    /// Appended to the base URL, wherever it comes from (Ollama's variable holds the server, without `/v1`).
    var suffix = ""
  }

  /// The vendors, by id prefix.
  static let vendors: [String: Vendor] = [
    "openrouter": Vendor(
      baseURL: "https://openrouter.ai/api/v1", baseVariable: "OPENROUTER_BASE_URL", keyVariable: "OPENROUTER_API_KEY"),
    "groq": Vendor(
      baseURL: "https://api.groq.com/openai/v1", baseVariable: "GROQ_BASE_URL", keyVariable: "GROQ_API_KEY"),
    "cerebras": Vendor(
      baseURL: "https://api.cerebras.ai/v1", baseVariable: "CEREBRAS_BASE_URL", keyVariable: "CEREBRAS_API_KEY"),
    "togetherai": Vendor(
      baseURL: "https://api.together.xyz/v1", baseVariable: "TOGETHER_BASE_URL", keyVariable: "TOGETHER_API_KEY"),
    "fireworks": Vendor(
      baseURL: "https://api.fireworks.ai/inference/v1", baseVariable: "FIREWORKS_BASE_URL",
      keyVariable: "FIREWORKS_API_KEY"),
    "deepseek": Vendor(
      baseURL: "https://api.deepseek.com/v1", baseVariable: "DEEPSEEK_BASE_URL", keyVariable: "DEEPSEEK_API_KEY"),
    "mistral": Vendor(
      baseURL: "https://api.mistral.ai/v1", baseVariable: "MISTRAL_BASE_URL", keyVariable: "MISTRAL_API_KEY"),
    "perplexity": Vendor(
      baseURL: "https://api.perplexity.ai", baseVariable: "PERPLEXITY_BASE_URL", keyVariable: "PERPLEXITY_API_KEY"),
    "xai": Vendor(baseURL: "https://api.x.ai/v1", baseVariable: "XAI_BASE_URL", keyVariable: "XAI_API_KEY"),
    "ollama": Vendor(
      baseURL: "http://localhost:11434", baseVariable: "OLLAMA_BASE_URL", keyVariable: "OLLAMA_API_KEY",
      keyRequired: false, suffix: "/v1"),
    "azure": Vendor(baseURL: "", baseVariable: "AZURE_BASE_URL", keyVariable: "AZURE_API_KEY"),
  ]

  /// promptfoo provider ids evalgate does not call, with what to use instead.
  static let refused: [String: String] = [
    "bedrock": "AWS Bedrock",
    "cohere": "Cohere's API",
    "localai": "LocalAI's API",
    "webhook": "a webhook provider",
    "browser": "a browser provider",
    "websocket": "a websocket provider",
    "python": "a Python provider",
    "golang": "a Go provider",
  ]

  /// The config keys promptfoo's OpenAI-compatible providers take that the mapping consumes.
  static let mappingKeys: Set<String> = ["apiHost", "apiVersion", "deploymentName", "apiBaseUrl"]

  /// `spec` as evalgate's provider when its id names a vendor; unchanged otherwise.
  /// - Throws: ``Diagnostic`` for ids evalgate refuses (naming the provider).
  static func map(_ spec: ProviderSpec, explicitLabel: Bool) throws -> ProviderSpec {
    let id = spec.id
    // A code provider: its path is resolved against the config file by the loader.
    if id.hasPrefix("file://") { return spec }
    if id.hasPrefix("http://") || id.hasPrefix("https://") {
      var out = spec
      out.id = "http"
      out.label = explicitLabel ? spec.label : id
      out.config["url"] = .string(id)
      return out
    }
    // promptfoo's other OpenAI spellings: the Responses API is called through Chat Completions.
    for (from, to) in [("openai:responses:", "openai:chat:"), ("openai:embeddings:", "openai:embedding:")]
    where id.hasPrefix(from) {
      var out = spec
      out.id = to + id.dropFirst(from.count)
      out.label = explicitLabel ? spec.label : id
      return out
    }
    let kind = String(id.prefix { $0 != ":" })
    if let what = refused[kind] {
      throw Diagnostic(
        "provider '\(id)' (\(what)) is not supported; call an OpenAI-compatible endpoint with "
          + "'openai:chat:<model>' and 'apiBaseUrl' instead", at: spec.location)
    }
    guard let vendor = vendors[kind] else { return spec }
    var rest = String(id.dropFirst(kind.count + 1))
    var embedding = false
    for prefix in ["chat:", "completion:"] where rest.hasPrefix(prefix) { rest.removeFirst(prefix.count) }
    for prefix in ["embeddings:", "embedding:"] where rest.hasPrefix(prefix) {
      rest.removeFirst(prefix.count)
      embedding = true
    }
    if kind == "azure", rest.hasPrefix("openai:") { rest.removeFirst("openai:".count) }
    guard !rest.isEmpty, id.count > kind.count else {
      throw Diagnostic("provider id '\(id)' needs a model: '\(kind):<model>'", at: spec.location)
    }
    var out = spec
    out.id = "openai:\(embedding ? "embedding" : "chat"):\(rest)"
    out.label = explicitLabel ? spec.label : id
    var config = spec.config
    if config["apiBaseUrl"] == nil {
      if kind == "azure" {
        let deployment = config["deploymentName"]?.stringValue ?? rest
        let host = config["apiHost"]?.stringValue.map { "https://\($0)" } ?? "{{ env.AZURE_API_HOST }}"
        config["apiBaseUrl"] = .string(
          "{{ env.\(vendor.baseVariable) | default('\(host)') }}/openai/deployments/\(deployment)")
        config["apiVersion"] = config["apiVersion"] ?? .string("2024-10-21")
      } else {
        config["apiBaseUrl"] = .string(
          "{{ env.\(vendor.baseVariable) | default('\(vendor.baseURL)') }}\(vendor.suffix)")
      }
    }
    config["apiHost"] = nil
    config["deploymentName"] = nil
    if config["apiKeyEnvar"] == nil {
      config["apiKeyEnvar"] = .string(vendor.keyVariable)
      if !vendor.keyRequired { config["apiKeyOptional"] = .bool(true) }
    }
    out.config = config
    return out
  }
}
