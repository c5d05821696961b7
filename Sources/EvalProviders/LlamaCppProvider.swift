import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore

/// A llama.cpp server's native `POST /completion`, as promptfoo's `llama` provider calls it: the prompt as
/// one text, `n_predict` (512 unless set) and the sampling settings of the config. The answer's `content` is
/// the output; `tokens_evaluated`/`tokens_predicted` are the usage; a stop on the token limit is `length`.
public struct LlamaCppProvider: Provider {
  /// The sampling settings promptfoo passes on.
  public static let bodyKeys = ProviderKind.llamaBodyKeys

  /// The label in reports.
  public let label: String
  let baseURL: String
  let config: [String: JSONValue]
  let endpoint: JSONEndpoint

  /// Creates a provider for the server at `baseURL` (without `/completion`).
  public init(label: String, baseURL: String, config: [String: JSONValue], client: HTTPClient, redactor: Redactor) {
    self.label = label
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.config = config
    endpoint = JSONEndpoint(
      client: client, baseURL: self.baseURL, redactor: redactor, maxBodyBytes: 32 << 20, deadline: .seconds(600))
  }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    var body: [String: JSONValue] = ["prompt": .string(request.promptText), "n_predict": 512]
    for key in LlamaCppProvider.bodyKeys { if let v = config[key] { body[key] = v } }
    let answer = try await endpoint.exchange(baseURL + "/completion", body: .object(body))
    guard let o = answer.objectValue, let content = o["content"]?.stringValue else {
      throw ProviderError(.malformedResponse, "response has no 'content': \(answer.canonicalJSON.prefix(60))")
    }
    let limited = o["stopped_limit"] == .bool(true) || o["stop_type"]?.stringValue == "limit"
    let usage = Usage(
      promptTokens: o["tokens_evaluated"]?.numberValue.map { Int($0) },
      completionTokens: o["tokens_predicted"]?.numberValue.map { Int($0) })
    return Completion(
      text: content, finishReason: limited ? "length" : "stop",
      usage: usage.promptTokens == nil && usage.completionTokens == nil ? nil : usage, model: o["model"]?.stringValue)
  }
}
