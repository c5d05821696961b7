import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore

/// Builds provider instances from specs, sharing one HTTP client sized for the run's concurrency.
/// Call ``shutdown()`` when the run ends.
public final class ProviderFactory: Sendable {
  let client: HTTPClient
  /// The chat provider's client for plain `http://` endpoints (``PlainHTTPClient``).
  let plain: PlainHTTPClient
  let environment: [String: String]
  let renderer: TemplateRenderer
  /// Every credential of the run; each provider adds its own key and headers.
  public let redactor: Redactor
  /// Runs code providers (`file://provider.py`, `.js`) and `transformResponse`; `nil` when the run has none.
  let code: (any CodeRunner)?

  /// Creates a factory.
  /// - Parameters:
  ///   - environment: where API keys and `OPENAI_BASE_URL` are read from.
  ///   - concurrency: the run's concurrency; the client may open twice as many connections per host, as
  ///     calls presumed stuck give their place to others while they run on (see `CallWindow`).
  ///   - redactor: the run's credentials, removed from every error text a provider makes.
  ///   - code: the run's code workers, for code providers and response transforms.
  public init(
    environment: [String: String], concurrency: Int, redactor: Redactor = Redactor(), code: (any CodeRunner)? = nil
  ) {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(
      idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, 2 * concurrency))
    // A refused connection fails the call at once (a typed `connection` error) instead of being retried
    // silently until the connect timeout; retries are the runner's decision, never the transport's.
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout = .init(connect: .seconds(10))
    configuration.httpVersion = .http1Only
    // evalgate never bootstraps a tracer (its run traces are its own, see `OTLPExporter`), yet the client's
    // default, the global no-op tracer, still made a span and its attributes for every request: 2 % of
    // evalgate's CPU in a 20,000-case run at 0 ms latency (`perf record -e cpu-clock`).
    configuration.tracing.tracer = nil
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    plain = PlainHTTPClient(connectTimeout: configuration.timeout.connect ?? .seconds(10))
    self.environment = environment
    renderer = TemplateRenderer(environment: environment)
    self.redactor = redactor
    self.code = code
  }

  /// The credentials a spec puts on the wire: its API key, the headers it sets (whole and in parts) and
  /// what its URLs carry (user info, key-like query parameters). Unresolvable values are left out.
  public static func credentials(of spec: ProviderSpec, environment: [String: String]) -> [String] {
    let renderer = TemplateRenderer(environment: environment)
    var found: [String] = []
    let variables =
      [spec.config["apiKeyEnvar"]?.stringValue].compactMap { $0 }
      + ProviderKind.allCases.flatMap(\.descriptor.apiKeyVariables)
    for variable in variables {
      if let key = environment[variable], !key.isEmpty { found.append(key) }
    }
    for (_, value) in spec.config["headers"]?.objectValue ?? [:] {
      let text = (try? renderer.render(value.plainText, vars: [:])) ?? value.plainText
      found += Redactor.credentials(inHeaderValue: text)
    }
    if let url = try? ProviderFactory.baseURL(of: spec, environment: environment) {
      found += Redactor.credentials(inURL: url)
    }
    if let url = spec.config["url"]?.stringValue {
      found += Redactor.credentials(inURL: (try? renderer.render(url, vars: [:])) ?? url)
    }
    // An exec command's environment, where a name says it holds a secret.
    let env = spec.config["env"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
    found += Redactor.environmentSecrets(env)
    return found
  }

  /// The run's redactor: secret-named environment variables and every credential the specs use.
  public static func redactor(for specs: [ProviderSpec], environment: [String: String]) -> Redactor {
    Redactor(
      secrets: Redactor.environmentSecrets(environment)
        + specs.flatMap { credentials(of: $0, environment: environment) }
    )
  }

  /// Shuts the HTTP clients down.
  public func shutdown() async {
    await plain.shutdown()
    try? await client.shutdown()
  }

  /// Builds a provider.
  /// - Throws: ``Diagnostic`` at the spec's location for bad configuration (such as a missing key variable).
  public func make(_ spec: ProviderSpec) throws -> any Provider {
    let parts = spec.id.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    guard let kind = spec.providerKind else { throw Diagnostic("unknown provider '\(spec.id)'", at: spec.location) }
    switch kind {
    case .echo:
      return EchoProvider(label: spec.label)
    case .scripted:
      return try ScriptedProvider(spec: spec, renderer: renderer)
    case .exec:
      let command = parts.dropFirst().joined(separator: ":").trimmingCharacters(in: .whitespaces)
      let env = spec.config["env"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
      return ExecProvider(
        label: spec.label, command: command, environment: env, workingDirectory: spec.config["workingDir"]?.stringValue)
    case .openai where parts.count == 3 && parts[1] == "moderation":
      return try openAI(spec, model: parts[2], moderation: true)
    case .openai:
      return try openAI(
        spec, model: parts.count == 3 ? parts[2] : parts[1], embedding: parts.count == 3 && parts[1] == "embedding")
    case .http:
      return try HTTPProvider(
        spec: spec, renderer: renderer, client: client,
        redactor: redactor.adding(ProviderFactory.credentials(of: spec, environment: environment)), code: code)
    case .anthropic:
      return try anthropic(spec, model: parts.count == 3 ? parts[2] : parts[1])
    case .google, .vertex:
      return try gemini(spec, model: parts.dropFirst().joined(separator: ":"))
    case .llama:
      let base = base(of: kind) ?? spec.config["baseUrl"]?.stringValue ?? "http://localhost:8080"
      return LlamaCppProvider(
        label: spec.label, baseURL: try checkedURL(base, spec), config: spec.config, client: client,
        redactor: redactor.adding(ProviderFactory.credentials(of: spec, environment: environment)))
    case .huggingface:
      let model = parts.count == 3 ? parts[2] : ""
      let base = base(of: kind) ?? "https://router.huggingface.co/hf-inference"
      let url = spec.config["apiEndpoint"]?.stringValue ?? base + "/models/" + model
      let token = try firstKey(spec, kind.descriptor.apiKeyVariables, required: false)
      return HuggingFaceTextProvider(
        label: spec.label, url: try checkedURL(url, spec), token: token, config: spec.config, client: client,
        redactor: redactor.adding(ProviderFactory.credentials(of: spec, environment: environment)))
    case .replicate:
      let base = base(of: kind) ?? "https://api.replicate.com/v1"
      let token = try firstKey(
        spec, kind.descriptor.apiKeyVariables, required: base.contains("api.replicate.com"))
      // `replicate:moderation:<model>` is the model as a moderation provider (Llama Guard): the same call.
      let model = parts.dropFirst().joined(separator: ":")
      return ReplicateProvider(
        label: spec.label, model: model.hasPrefix("moderation:") ? String(model.dropFirst(11)) : model,
        baseURL: try checkedURL(base, spec),
        token: token, config: spec.config, client: client,
        redactor: redactor.adding(ProviderFactory.credentials(of: spec, environment: environment)))
    case .file:
      guard let code else {
        throw Diagnostic("provider '\(spec.label)' is code, and this command runs no code workers", at: spec.location)
      }
      return CodeProvider(spec: spec, code: code)
    }
  }

  /// What the environment sets as the kind's base URL (its ``ProviderKind/Descriptor/baseURLVariable``).
  func base(of kind: ProviderKind) -> String? {
    kind.descriptor.baseURLVariable.flatMap { environment[$0] }
  }

  /// `url` when it is http(s).
  func checkedURL(_ url: String, _ spec: ProviderSpec) throws -> String {
    guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
      throw Diagnostic("'apiBaseUrl' must start with http:// or https://, found '\(url)'", at: spec.location)
    }
    return url
  }

  /// The key from `apiKeyEnvar` (else the kind's API-key variable); required when `apiKeyEnvar` is set or
  /// the URL is the vendor's own (local servers usually need none).
  func apiKey(_ spec: ProviderSpec, kind: ProviderKind, requiredFor hosted: Bool) throws -> String? {
    let variable = spec.config["apiKeyEnvar"]?.stringValue ?? kind.descriptor.apiKeyVariables.first ?? ""
    let key = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    let optional = spec.config["apiKeyOptional"] == .bool(true)
    if key == nil, !optional, spec.config["apiKeyEnvar"] != nil || hosted {
      throw Diagnostic(
        "provider '\(spec.label)' needs an API key: set the environment variable \(variable)", at: spec.location)
    }
    return key
  }

  /// The base URL a network provider calls: `apiBaseUrl` (which may name environment variables as
  /// `{{ env.NAME }}`), `apiHost`, the kind's base-URL variable, else the vendor's own; nil for other kinds.
  /// - Throws: ``Diagnostic`` for a template that does not render.
  public static func baseURL(of spec: ProviderSpec, environment: [String: String]) throws -> String? {
    if var url = spec.config["apiBaseUrl"]?.stringValue {
      if TemplateRenderer.isTemplate(url) {
        do {
          url = try TemplateRenderer(environment: environment).render(url, vars: [:])
        } catch {
          throw Diagnostic("'apiBaseUrl' of provider '\(spec.label)': \(error)", at: spec.location)
        }
      }
      return url
    }
    let variable = spec.providerKind?.descriptor.baseURLVariable
    switch spec.providerKind {
    case .openai:
      if let host = spec.config["apiHost"]?.stringValue { return "https://\(host)/v1" }
      return variable.flatMap { environment[$0] } ?? environment["OPENAI_API_BASE_URL"] ?? "https://api.openai.com/v1"
    case .anthropic:
      return variable.flatMap { environment[$0] } ?? "https://api.anthropic.com"
    default:
      return nil
    }
  }

  /// The key from `apiKeyEnvar`, else the first of `variables` that is set; a missing required key is an
  /// error naming the variables.
  func firstKey(_ spec: ProviderSpec, _ variables: [String], required: Bool) throws -> String? {
    let names = spec.config["apiKeyEnvar"]?.stringValue.map { [$0] } ?? variables
    if let key = names.lazy.compactMap({ self.environment[$0] }).first(where: { !$0.isEmpty }) { return key }
    if required || spec.config["apiKeyEnvar"] != nil {
      throw Diagnostic(
        "provider '\(spec.label)' needs an API key: set the environment variable \(names.joined(separator: " or "))",
        at: spec.location)
    }
    return nil
  }

  /// Gemini's `generateContent`: `google:<model>` (AI Studio; `GOOGLE_API_KEY` or `GEMINI_API_KEY` in
  /// `x-goog-api-key`; the host from `apiHost` or `GOOGLE_API_HOST`, else the base URL from `apiBaseUrl` or
  /// `GOOGLE_API_BASE_URL`) or `vertex:<model>` (`VERTEX_API_KEY` as a bearer token; `VERTEX_PROJECT_ID`,
  /// `VERTEX_REGION`, the host from `apiHost` or `VERTEX_API_HOST`, else `VERTEX_BASE_URL`), as promptfoo
  /// names them.
  func gemini(_ spec: ProviderSpec, model: String) throws -> any Provider {
    let config = spec.config
    let url: String
    let auth: (header: String, value: String)?
    if spec.providerKind == .vertex {
      let region = config["region"]?.stringValue ?? environment["VERTEX_REGION"] ?? "us-central1"
      guard let project = config["projectId"]?.stringValue ?? environment["VERTEX_PROJECT_ID"] else {
        throw Diagnostic(
          "provider '\(spec.label)' needs a Google Cloud project: set 'projectId' or VERTEX_PROJECT_ID",
          at: spec.location)
      }
      let host = config["apiHost"]?.stringValue ?? environment["VERTEX_API_HOST"]
      let base =
        host.map { "https://\($0)" } ?? config["apiBaseUrl"]?.stringValue ?? base(of: .vertex)
        ?? "https://\(region)-aiplatform.googleapis.com"
      url =
        try checkedURL(base, spec)
        + "/v1/projects/\(project)/locations/\(region)/publishers/google/models/\(model):generateContent"
      auth = try firstKey(
        spec, ProviderKind.vertex.descriptor.apiKeyVariables, required: base.contains("googleapis.com")
      ).map {
        ("Authorization", "Bearer \($0)")
      }
    } else {
      let host = config["apiHost"]?.stringValue ?? environment["GOOGLE_API_HOST"]
      let base =
        host.map { "https://\($0)" } ?? config["apiBaseUrl"]?.stringValue ?? base(of: .google)
        ?? "https://generativelanguage.googleapis.com"
      let version = config["apiVersion"]?.stringValue ?? "v1beta"
      url =
        try checkedURL(base.hasSuffix("/") ? String(base.dropLast()) : base, spec)
        + "/\(version)/models/\(model):generateContent"
      auth = try firstKey(
        spec, ProviderKind.google.descriptor.apiKeyVariables, required: base.contains("googleapis.com")
      ).map {
        ("x-goog-api-key", $0)
      }
    }
    var settings = GeminiProvider.Settings(
      label: spec.label, model: model, url: url, auth: auth, config: config,
      headers: config["headers"]?.objectValue?.compactMapValues(\.stringValue) ?? [:])
    settings.redactor = redactor.adding(ProviderFactory.credentials(of: spec, environment: environment))
    return GeminiProvider(settings: settings, client: client)
  }

  func anthropic(_ spec: ProviderSpec, model: String) throws -> any Provider {
    let config = spec.config
    let url = try checkedURL(try ProviderFactory.baseURL(of: spec, environment: environment) ?? "", spec)
    let key = try apiKey(spec, kind: .anthropic, requiredFor: url.contains("api.anthropic.com"))
    var body: [String: JSONValue] = [:]
    for name in ["max_tokens", "temperature", "top_p", "top_k", "stop_sequences", "tools", "tool_choice"] {
      if let v = config[name] { body[name] = v }
    }
    var settings = AnthropicProvider.Settings(
      label: spec.label, model: model, baseURL: url, apiKey: key,
      version: config["anthropicVersion"]?.stringValue ?? "2023-06-01", bodyFields: body,
      headers: config["headers"]?.objectValue?.compactMapValues(\.stringValue) ?? [:])
    settings.redactor = redactor.adding(ProviderFactory.credentials(of: spec, environment: environment))
    return AnthropicProvider(settings: settings, client: client)
  }

  func openAI(_ spec: ProviderSpec, model: String, embedding: Bool = false, moderation: Bool = false) throws
    -> any Provider
  {
    let config = spec.config
    let url = try checkedURL(try ProviderFactory.baseURL(of: spec, environment: environment) ?? "", spec)
    let key = try apiKey(spec, kind: .openai, requiredFor: url.contains("api.openai.com"))
    var body: [String: JSONValue] = [:]
    let passthrough = [
      "temperature", "max_tokens", "max_completion_tokens", "top_p", "seed", "stop", "presence_penalty",
      "frequency_penalty", "response_format", "tools", "tool_choice", "functions", "function_call",
      "reasoning_effort", "verbosity", "parallel_tool_calls",
    ]
    for name in passthrough { if let v = config[name] { body[name] = v } }
    let headers = config["headers"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
    let stream = config["stream"].map { $0 == .bool(true) } ?? false
    var settings = OpenAIChatProvider.Settings(
      label: spec.label, model: model, baseURL: url, apiKey: key, bodyFields: body, headers: headers, stream: stream)
    settings.redactor = redactor.adding(ProviderFactory.credentials(of: spec, environment: environment))
    if let version = config["apiVersion"]?.stringValue {
      // Azure OpenAI: the version as a query parameter, the key in `api-key`.
      settings.query =
        "?api-version=" + (version.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? version)
      settings.apiKeyHeader = "api-key"
    }
    if embedding { return OpenAIEmbeddingProvider(settings: settings, client: client) }
    if moderation { return OpenAIModerationProvider(settings: settings, client: client) }
    return OpenAIChatProvider(settings: settings, client: client, plain: plain)
  }
}
