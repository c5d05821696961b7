import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore

/// Hugging Face's inference API for text generation, as promptfoo's `huggingface:text-generation:<model>`
/// calls it: `POST <base>/models/<model>` with `{inputs, parameters}` (`return_full_text: false` unless set,
/// and the generation settings of the config), the token as a bearer. The output is `generated_text` (of
/// the first item when the answer is a list).
public struct HuggingFaceTextProvider: Provider {
  /// The generation settings promptfoo passes on as `parameters`.
  public static let parameterKeys = ProviderKind.huggingFaceBodyKeys

  /// The label in reports.
  public let label: String
  let url: String
  let token: String?
  let config: [String: JSONValue]
  let endpoint: JSONEndpoint

  /// Creates a provider calling `url` (the model's full URL).
  public init(
    label: String, url: String, token: String?, config: [String: JSONValue], client: HTTPClient, redactor: Redactor
  ) {
    self.label = label
    self.url = url
    self.token = token
    self.config = config
    endpoint = JSONEndpoint(
      client: client, baseURL: url, redactor: redactor.adding(token.map { [$0] } ?? []), maxBodyBytes: 32 << 20,
      deadline: .seconds(600))
  }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    var parameters: [String: JSONValue] = ["return_full_text": false]
    for key in HuggingFaceTextProvider.parameterKeys { if let v = config[key] { parameters[key] = v } }
    let answer = try await endpoint.exchange(
      url, body: ["inputs": .string(request.promptText), "parameters": .object(parameters)],
      headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
    if let error = answer.objectValue?["error"]?.plainText {
      throw endpoint.redact(ProviderError(.other, "Hugging Face: \(error)"))
    }
    let item = answer.arrayValue?.first ?? answer
    guard let text = item.objectValue?["generated_text"]?.stringValue else {
      throw ProviderError(.malformedResponse, "response has no 'generated_text': \(answer.canonicalJSON.prefix(60))")
    }
    return Completion(text: text)
  }
}
