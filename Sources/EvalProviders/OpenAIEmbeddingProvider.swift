import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore
import NIOHTTP1

/// `openai:embedding:<model>`: OpenAI's `/v1/embeddings` (and compatible servers). It answers a request
/// with the embedding of its last user message, as a JSON array in the completion's text, so embeddings go
/// through the runner like any call: breaker, pacing, timeout, retries and the response cache.
public struct OpenAIEmbeddingProvider: Provider {
  let settings: OpenAIChatProvider.Settings
  let endpoint: JSONEndpoint

  /// Creates a provider on a shared client.
  public init(settings: OpenAIChatProvider.Settings, client: HTTPClient, deadline: TimeAmount = .seconds(600)) {
    self.settings = settings
    endpoint = JSONEndpoint(
      client: client, baseURL: settings.baseURL, redactor: settings.redactor.adding(settings.apiKey.map { [$0] } ?? []),
      maxBodyBytes: settings.maxBodyBytes, deadline: deadline)
  }

  public var label: String { settings.label }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    let input = request.messages.last { $0.role == "user" }?.content ?? request.promptText
    var http = HTTPClientRequest(url: settings.baseURL + "/embeddings" + settings.query)
    http.method = .POST
    http.headers.add(name: "Content-Type", value: "application/json")
    for (name, value) in settings.headers.sorted(by: { $0.key < $1.key }) { http.headers.add(name: name, value: value) }
    if let key = settings.apiKey, !key.isEmpty {
      if let header = settings.apiKeyHeader {
        http.headers.add(name: header, value: key)
      } else {
        http.headers.add(name: "Authorization", value: "Bearer \(key)")
      }
    }
    let body: JSONValue = ["model": .string(settings.model), "input": .string(input)]
    http.body = .bytes(ByteBuffer(string: body.canonicalJSON))
    let response = try await endpoint.send(http)
    let text = try await endpoint.text(of: response)
    guard (200..<300).contains(response.status.code) else { throw endpoint.failure(response, body: text) }
    guard let json = JSONValue.parse(text),
      let vector = json.value(atPath: ["data"])?.arrayValue?.first?.value(atPath: ["embedding"])?.arrayValue,
      !vector.isEmpty, vector.allSatisfy({ $0.numberValue != nil })
    else {
      throw endpoint.redact(ProviderError(.malformedResponse, "embedding response without data[0].embedding"))
    }
    // Infinity's `usage` counts characters, not tokens (docs/compatibility.md): left unknown rather than
    // called tokens.
    let countsCharacters = json.value(atPath: ["id"])?.stringValue?.hasPrefix("infinity-") == true
    let tokens = countsCharacters ? nil : json.value(atPath: ["usage", "prompt_tokens"])?.numberValue.map { Int($0) }
    return Completion(
      text: JSONValue.array(vector).canonicalJSON, finishReason: "stop",
      usage: tokens.map { Usage(promptTokens: $0, completionTokens: 0) },
      model: json.value(atPath: ["model"])?.stringValue)
  }
}
