import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore
import NIOHTTP1

/// `openai:moderation:<model>`: OpenAI's `/v1/moderations`. It answers a request with the moderation of its
/// last message (the output to check), as the JSON of `results[0]` (`flagged`, `categories`,
/// `category_scores`) in the completion's text, so moderation goes through the runner like a judge call.
public struct OpenAIModerationProvider: Provider {
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
    let input = request.messages.last?.content ?? ""
    var headers: [(String, String)] = settings.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    if let key = settings.apiKey, !key.isEmpty {
      headers.append(settings.apiKeyHeader.map { ($0, key) } ?? ("Authorization", "Bearer \(key)"))
    }
    let json = try await endpoint.exchange(
      settings.baseURL + "/moderations" + settings.query,
      body: ["model": .string(settings.model), "input": .string(input)], headers: headers)
    guard let result = json.value(atPath: ["results"])?.arrayValue?.first, result.objectValue?["categories"] != nil
    else {
      throw endpoint.redact(ProviderError(.malformedResponse, "moderation response without results[0].categories"))
    }
    return Completion(
      text: result.canonicalJSON, finishReason: "stop", model: json.value(atPath: ["model"])?.stringValue)
  }
}
