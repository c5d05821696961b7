import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore
import NIOHTTP1

/// Anthropic's Messages API (`POST /v1/messages`): system messages go in the top-level `system` field,
/// `max_tokens` is always sent (default 1024), the key goes in `x-api-key`. Stop reasons are mapped to
/// the OpenAI words `finish-reason` checks use: `end_turn`/`stop_sequence` → `stop`, `max_tokens` →
/// `length`, `tool_use` → `tool_calls`.
public struct AnthropicProvider: Provider {
  /// Settings for one endpoint.
  public struct Settings: Sendable {
    /// The label in reports.
    public var label: String
    /// The model name sent.
    public var model: String
    /// The base URL without `/v1` (default `https://api.anthropic.com`).
    public var baseURL: String
    /// The key, from the environment; never logged.
    var apiKey: String?
    /// The `anthropic-version` header.
    public var version: String
    /// Body fields sent as given (`max_tokens`, `temperature`, `top_p`, `top_k`, `stop_sequences`).
    public var bodyFields: [String: JSONValue]
    /// Extra request headers.
    public var headers: [String: String]
    /// Every credential of the run, removed from error text.
    public var redactor = Redactor()

    /// Creates settings.
    public init(
      label: String, model: String, baseURL: String, apiKey: String?, version: String = "2023-06-01",
      bodyFields: [String: JSONValue] = [:], headers: [String: String] = [:]
    ) {
      self.label = label
      self.model = model
      self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
      self.apiKey = apiKey
      self.version = version
      self.bodyFields = bodyFields
      self.headers = headers
    }
  }

  /// The settings.
  public let settings: Settings
  let endpoint: JSONEndpoint

  /// Creates a provider on a shared client (the caller shuts the client down).
  public init(settings: Settings, client: HTTPClient, deadline: TimeAmount = .seconds(600)) {
    self.settings = settings
    endpoint = JSONEndpoint(
      client: client, baseURL: settings.baseURL, redactor: settings.redactor.adding(settings.apiKey.map { [$0] } ?? []),
      maxBodyBytes: 32 << 20,
      deadline: deadline)
  }

  public var label: String { settings.label }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    var http = HTTPClientRequest(url: settings.baseURL + "/v1/messages")
    http.method = .POST
    http.headers.add(name: "Content-Type", value: "application/json")
    http.headers.add(name: "anthropic-version", value: settings.version)
    for (name, value) in settings.headers.sorted(by: { $0.key < $1.key }) { http.headers.add(name: name, value: value) }
    if let key = settings.apiKey, !key.isEmpty { http.headers.add(name: "x-api-key", value: key) }
    http.body = .bytes(ByteBuffer(string: requestBody(request)))
    let response = try await endpoint.send(http)
    let text = try await endpoint.text(of: response)
    guard (200..<300).contains(response.status.code) else { throw endpoint.failure(response, body: text) }
    guard let wire = try? JSONDecoder().decode(MessageWire.self, from: Data(text.utf8)) else {
      throw endpoint.redact(
        ProviderError(.malformedResponse, "response is not an Anthropic message: \"\(text.prefix(60))\""))
    }
    let output = wire.content.filter { $0.type == "text" }.compactMap(\.text).joined()
    guard wire.content.contains(where: { $0.type == "text" }) || wire.stopReason == "tool_use" else {
      throw ProviderError(.malformedResponse, "response has no text content")
    }
    let usage = wire.usage.map {
      Usage(promptTokens: $0.inputTokens, completionTokens: $0.outputTokens, cachedTokens: $0.cacheReadInputTokens)
    }
    return Completion(
      text: output, finishReason: wire.stopReason.map(AnthropicProvider.finishReason), usage: usage, model: wire.model)
  }

  /// Anthropic's stop reason in the OpenAI vocabulary.
  static func finishReason(_ stop: String) -> String {
    switch stop {
    case "end_turn", "stop_sequence": "stop"
    case "max_tokens": "length"
    case "tool_use": "tool_calls"
    default: stop
    }
  }

  func requestBody(_ request: CompletionRequest) -> String {
    var body = settings.bodyFields
    body["model"] = .string(settings.model)
    if body["max_tokens"] == nil { body["max_tokens"] = 1024 }
    let system = request.messages.filter { $0.role == "system" || $0.role == "developer" }.map(\.content)
    if !system.isEmpty { body["system"] = .string(system.joined(separator: "\n\n")) }
    body["messages"] = .array(
      request.messages.filter { $0.role == "user" || $0.role == "assistant" }
        .map { .object(["role": .string($0.role), "content": .string($0.content)]) })
    return JSONValue.object(body).canonicalJSON
  }

  struct MessageWire: Decodable {
    struct Block: Decodable {
      var type: String
      var text: String?
    }

    struct UsageWire: Decodable {
      var inputTokens: Int?
      var outputTokens: Int?
      var cacheReadInputTokens: Int?

      enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case cacheReadInputTokens = "cache_read_input_tokens"
      }
    }

    var model: String?
    var content: [Block]
    var stopReason: String?
    var usage: UsageWire?

    enum CodingKeys: String, CodingKey {
      case model, content, usage
      case stopReason = "stop_reason"
    }
  }
}
