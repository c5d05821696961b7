import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore
import NIOHTTP1

/// Google's Gemini `generateContent` API, as promptfoo's `google:` (AI Studio) and `vertex:` providers call
/// it: `contents` of `user`/`model` turns made of `parts`, system messages in `system_instruction`, sampling
/// settings in `generationConfig`, function declarations in `tools`. A prompt that renders to Gemini's own
/// format (a JSON list of `{role, parts}`) is sent as it is. The output is the text of the answer's parts,
/// or, when they are not all text (function calls), the JSON list of the parts. Finish reasons are mapped to
/// the OpenAI words: `STOP` → `stop`, `MAX_TOKENS` → `length`, `SAFETY` and the other blocks →
/// `content_filter`.
public struct GeminiProvider: Provider {
  /// Settings for one endpoint.
  public struct Settings: Sendable {
    /// The label in reports.
    public var label: String
    /// The model name, as it appears in responses.
    public var model: String
    /// The full `…/models/<model>:generateContent` URL.
    public var url: String
    /// The header carrying the key (`x-goog-api-key`, or `Authorization` with `Bearer ` for Vertex), and the
    /// key; never logged.
    var auth: (header: String, value: String)?
    /// Provider config keys read into the body (`temperature`, `maxOutputTokens`, `generationConfig`,
    /// `tools`, `toolConfig`, `safetySettings`, `responseSchema`, `systemInstruction`).
    public var config: [String: JSONValue]
    /// Extra request headers.
    public var headers: [String: String]
    /// Every credential of the run, removed from error text.
    public var redactor = Redactor()

    /// Creates settings.
    public init(
      label: String, model: String, url: String, auth: (header: String, value: String)?,
      config: [String: JSONValue] = [:], headers: [String: String] = [:]
    ) {
      self.label = label
      self.model = model
      self.url = url
      self.auth = auth
      self.config = config
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
      client: client, baseURL: settings.url, redactor: settings.redactor.adding(settings.auth.map { [$0.value] } ?? []),
      maxBodyBytes: 32 << 20, deadline: deadline)
  }

  public var label: String { settings.label }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    var http = HTTPClientRequest(url: settings.url)
    http.method = .POST
    http.headers.add(name: "Content-Type", value: "application/json")
    for (name, value) in settings.headers.sorted(by: { $0.key < $1.key }) { http.headers.add(name: name, value: value) }
    if let auth = settings.auth { http.headers.add(name: auth.header, value: auth.value) }
    http.body = .bytes(ByteBuffer(string: GeminiProvider.requestBody(request.messages, config: settings.config)))
    let response = try await endpoint.send(http)
    let text = try await endpoint.text(of: response)
    guard (200..<300).contains(response.status.code) else { throw endpoint.failure(response, body: text) }
    do {
      return try GeminiProvider.completion(from: text)
    } catch let error as ProviderError {
      throw endpoint.redact(error)
    }
  }

  /// The `generateContent` body for `messages`.
  public static func requestBody(_ messages: [ChatMessage], config: [String: JSONValue]) -> String {
    var body: [String: JSONValue] = [:]
    var system: [String] = []
    var contents: [JSONValue] = []
    if messages.count == 1, let native = nativeContents(messages[0].content) {
      for turn in native {
        if turn.objectValue?["role"]?.stringValue == "system" {
          system += (turn.objectValue?["parts"]?.arrayValue ?? []).compactMap { $0.objectValue?["text"]?.stringValue }
        } else {
          contents.append(turn)
        }
      }
    } else {
      for m in messages {
        switch m.role {
        case "system", "developer": system.append(m.content)
        default:
          let role = m.role == "assistant" ? "model" : "user"
          contents.append(.object(["role": .string(role), "parts": .array([.object(["text": .string(m.content)])])]))
        }
      }
    }
    body["contents"] = .array(contents)
    if let given = config["systemInstruction"]?.stringValue { system.insert(given, at: 0) }
    if !system.isEmpty {
      body["system_instruction"] = .object(["parts": .array(system.map { .object(["text": .string($0)]) })])
    }
    var generation: [String: JSONValue] = [:]
    for key in ["temperature", "topP", "topK", "stopSequences", "maxOutputTokens"] {
      if let v = config[key] { generation[key] = v }
    }
    for (k, v) in config["generationConfig"]?.objectValue ?? [:] { generation[k] = v }
    if let schema = config["responseSchema"] {
      generation["response_schema"] = schema
      generation["response_mime_type"] = "application/json"
    }
    if !generation.isEmpty { body["generationConfig"] = .object(generation) }
    if let tools = config["tools"] { body["tools"] = tools.arrayValue != nil ? tools : .array([tools]) }
    for key in ["toolConfig", "safetySettings"] { if let v = config[key] { body[key] = v } }
    return JSONValue.object(body).canonicalJSON
  }

  /// A prompt already in Gemini's format: a JSON list of `{role, parts}`.
  static func nativeContents(_ text: String) -> [JSONValue]? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard trimmed.hasPrefix("["), case .array(let items)? = JSONValue.parse(trimmed), !items.isEmpty,
      items.allSatisfy({ $0.objectValue?["parts"]?.arrayValue != nil && $0.objectValue?["role"]?.stringValue != nil })
    else { return nil }
    return items
  }

  /// Reads a `generateContent` response.
  public static func completion(from body: String) throws -> Completion {
    guard case .object(let o)? = JSONValue.parse(body) else {
      throw ProviderError(.malformedResponse, "response is not a Gemini answer: \"\(body.prefix(60))\"")
    }
    guard let candidate = o["candidates"]?.arrayValue?.first?.objectValue else {
      if let reason = o["promptFeedback"]?.objectValue?["blockReason"]?.stringValue {
        return Completion(text: "", finishReason: "content_filter", model: o["modelVersion"]?.stringValue)
          .blocked(reason)
      }
      throw ProviderError(.malformedResponse, "response has no candidates[0]")
    }
    let parts = (candidate["content"]?.objectValue?["parts"]?.arrayValue ?? []).filter {
      $0.objectValue?["thought"] != .bool(true)
    }
    let texts = parts.compactMap { $0.objectValue?["text"]?.stringValue }
    let text = texts.count == parts.count ? texts.joined() : JSONValue.array(parts).canonicalJSON
    let finish = candidate["finishReason"]?.stringValue.map { reason -> String in
      switch reason {
      case "STOP": "stop"
      case "MAX_TOKENS": "length"
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII": "content_filter"
      default: reason.lowercased()
      }
    }
    let meta = o["usageMetadata"]?.objectValue
    let int = { (key: String) in meta?[key]?.numberValue.map { Int($0) } }
    let usage =
      meta == nil
      ? nil
      : Usage(
        promptTokens: int("promptTokenCount"),
        completionTokens: int("candidatesTokenCount").map { $0 + (int("thoughtsTokenCount") ?? 0) },
        totalTokens: int("totalTokenCount"), cachedTokens: int("cachedContentTokenCount"),
        reasoningTokens: int("thoughtsTokenCount"))
    var completion = Completion(text: text, finishReason: finish, usage: usage, model: o["modelVersion"]?.stringValue)
    if texts.count != parts.count { completion.structured = true }
    return completion
  }
}

extension Completion {
  /// A completion for a prompt the endpoint refused to answer.
  fileprivate func blocked(_ reason: String) -> Completion {
    var out = self
    out.text = "(prompt blocked: \(reason))"
    return out
  }
}
