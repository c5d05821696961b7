import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore
import NIOHTTP1

/// Replicate's predictions API, as promptfoo's `replicate:<owner>/<model>[:<version>]` calls it: a prediction
/// is created with `Prefer: wait=60` (`POST <base>/predictions` with the version, or
/// `<base>/models/<owner>/<model>/predictions`), its `input` the config with `prompt` (the user message) and
/// `system_prompt` (the system message) added; one still running is read again every second, 30 times at
/// most. The output is the prediction's `output`, a text or a list of texts joined.
public struct ReplicateProvider: Provider {
  /// The label in reports.
  public let label: String
  let baseURL: String
  let model: String
  let token: String?
  let config: [String: JSONValue]
  let endpoint: JSONEndpoint
  /// Waits between reads of a running prediction (injected by tests).
  let pause: @Sendable (Duration) async throws -> Void

  /// Creates a provider for `model` (`owner/name`, or `owner/name:version`) at `baseURL` (up to `/v1`).
  public init(
    label: String, model: String, baseURL: String, token: String?, config: [String: JSONValue], client: HTTPClient,
    redactor: Redactor, pause: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
  ) {
    self.label = label
    self.model = model
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.token = token
    self.config = config
    self.pause = pause
    endpoint = JSONEndpoint(
      client: client, baseURL: self.baseURL, redactor: redactor.adding(token.map { [$0] } ?? []),
      maxBodyBytes: 32 << 20, deadline: .seconds(600))
  }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    // The config is the input, as promptfoo sends it, with the prompt (and its `prompt: {prefix, suffix}`).
    var input = config
    input["apiKey"] = nil
    let affix = config["prompt"]?.objectValue
    let user = request.messages.first { $0.role == "user" }?.content ?? request.promptText
    input["prompt"] = .string((affix?["prefix"]?.stringValue ?? "") + user + (affix?["suffix"]?.stringValue ?? ""))
    if let system = request.messages.first(where: { $0.role == "system" })?.content {
      input["system_prompt"] = .string(system)
    }
    let parts = model.split(separator: ":", maxSplits: 1).map(String.init)
    var body: [String: JSONValue] = ["input": .object(input)]
    let url: String
    if parts.count == 2 {
      body["version"] = .string(parts[1])
      url = baseURL + "/predictions"
    } else {
      url = baseURL + "/models/\(model)/predictions"
    }
    var headers = [("Prefer", "wait=60")]
    if let token { headers.append(("Authorization", "Bearer \(token)")) }
    var prediction = try await endpoint.exchange(url, body: .object(body), headers: headers)
    var polls = 0
    while let status = prediction.objectValue?["status"]?.stringValue, status == "starting" || status == "processing" {
      guard polls < 30, let id = prediction.objectValue?["id"]?.stringValue else {
        throw ProviderError(.timeout, "Replicate prediction still \(status) after \(polls) s")
      }
      try await pause(.seconds(1))
      polls += 1
      prediction = try await endpoint.exchange(
        baseURL + "/predictions/\(id)", method: .GET, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
    }
    let o = prediction.objectValue ?? [:]
    if let status = o["status"]?.stringValue, status == "failed" || status == "canceled" {
      throw endpoint.redact(
        ProviderError(.other, "Replicate prediction \(status): \(o["error"]?.plainText ?? "no reason given")"))
    }
    switch o["output"] {
    case .string(let text)?: return Completion(text: text, finishReason: "stop")
    case .array(let items)? where items.allSatisfy({ $0.stringValue != nil }):
      return Completion(text: items.compactMap(\.stringValue).joined(), finishReason: "stop")
    default:
      throw ProviderError(
        .malformedResponse, "unsupported Replicate output: \(o["output"]?.canonicalJSON.prefix(60) ?? "none")")
    }
  }
}
