import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore
import NIOHTTP1

/// An OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp, Ollama, LiteLLM, …) over
/// async-http-client, or ``PlainHTTPClient`` for a plain `http://` endpoint's non-streaming calls. Every failure
/// becomes a typed ``ProviderError``; the API key never appears in one.
public struct OpenAIChatProvider: Provider {
  /// Settings for one endpoint.
  public struct Settings: Sendable {
    /// The label in reports.
    public var label: String
    /// The model name sent.
    public var model: String
    /// The base URL up to and including `/v1`.
    public var baseURL: String
    /// The key, from the environment; never logged.
    var apiKey: String?
    /// Sampling and other body fields (`temperature`, `max_tokens`, `seed`, …), sent as given.
    public var bodyFields: [String: JSONValue]
    /// Extra request headers.
    public var headers: [String: String]
    /// Whether to request a server-sent-event stream.
    public var stream: Bool
    /// Upper bound on a response body.
    public var maxBodyBytes: Int
    /// Every credential of the run, removed from error text.
    public var redactor = Redactor()
    /// Appended to every request URL (Azure's `?api-version=…`).
    public var query = ""
    /// The header carrying the key as is (Azure's `api-key`); `nil` sends `Authorization: Bearer <key>`.
    public var apiKeyHeader: String?

    /// Creates settings.
    public init(
      label: String, model: String, baseURL: String, apiKey: String?, bodyFields: [String: JSONValue] = [:],
      headers: [String: String] = [:], stream: Bool = false, maxBodyBytes: Int = 32 << 20
    ) {
      self.label = label
      self.model = model
      self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
      self.apiKey = apiKey
      self.bodyFields = bodyFields
      self.headers = headers
      self.stream = stream
      self.maxBodyBytes = maxBodyBytes
    }
  }

  /// The settings.
  public let settings: Settings
  let endpoint: JSONEndpoint
  /// What every request shares, made once: the URL, the headers, and the body's JSON around `messages`
  /// (each request made them afresh, about 4 % of the client's CPU per call at 0 ms latency).
  private let url: String
  private let headers: HTTPHeaders
  private let bodyAround: (before: String, after: String)
  /// Where non-streaming calls go through ``PlainHTTPClient`` (a plain `http://` URL); `nil` otherwise.
  private let plainTarget: PlainHTTPClient.Target?

  /// Opens the connections of a plain `http://` endpoint ahead (nothing for the others: async-http-client
  /// connects as the calls need).
  public func warmUp(connections: Int) {
    guard let plainTarget, let plain = endpoint.plain else { return }
    plain.openAhead(to: plainTarget, count: connections)
  }

  /// Creates a provider on a shared client (the caller shuts the client down).
  /// - Parameter deadline: bounds the whole HTTP exchange; the runner's timeout normally fires first.
  public init(settings: Settings, client: HTTPClient, deadline: TimeAmount = .seconds(600)) {
    self.init(settings: settings, client: client, plain: nil, deadline: deadline)
  }

  /// Creates a provider whose non-streaming calls to a plain `http://` URL go through `plain`.
  init(settings: Settings, client: HTTPClient, plain: PlainHTTPClient?, deadline: TimeAmount = .seconds(600)) {
    self.settings = settings
    endpoint = JSONEndpoint(
      client: client, baseURL: settings.baseURL, redactor: settings.redactor.adding(settings.apiKey.map { [$0] } ?? []),
      maxBodyBytes: settings.maxBodyBytes,
      deadline: deadline, plain: plain)
    url = settings.baseURL + "/chat/completions" + settings.query
    plainTarget = plain != nil && !settings.stream ? PlainHTTPClient.Target(url) : nil
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: "application/json")
    headers.add(name: "Accept", value: settings.stream ? "text/event-stream" : "application/json")
    for (name, value) in settings.headers.sorted(by: { $0.key < $1.key }) { headers.add(name: name, value: value) }
    if let key = settings.apiKey, !key.isEmpty {
      if let header = settings.apiKeyHeader {
        headers.add(name: header, value: key)
      } else {
        headers.add(name: "Authorization", value: "Bearer \(key)")
      }
    }
    self.headers = headers
    bodyAround = OpenAIChatProvider.bodyAround(settings)
  }

  public var label: String { settings.label }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    if let target = plainTarget, let plain = endpoint.plain {
      let body = ByteBuffer(string: requestBody(request))
      let response = try await endpoint.exchange(
        PlainHTTPClient.Request(.POST, target, headers: headers, body: body), to: target, on: plain)
      // A redirect is followed by async-http-client, as every other call's is.
      if !(300..<400).contains(response.status) {
        return try completion(status: response.status, headers: response.headers, text: response.text)
      }
    }
    var http = HTTPClientRequest(url: url)
    http.method = .POST
    http.headers = headers
    http.body = .bytes(ByteBuffer(string: requestBody(request)))

    let start = ContinuousClock.now
    let response = try await endpoint.send(http)
    if settings.stream, (200..<300).contains(response.status.code) {
      return try await streamed(response, since: start)
    }
    let text = try await endpoint.text(of: response)
    return try completion(status: Int(response.status.code), headers: response.headers, text: text)
  }

  /// The completion in a whole response, or its typed error.
  private func completion(status: Int, headers: HTTPHeaders, text: String) throws -> Completion {
    guard (200..<300).contains(status) else { throw endpoint.failure(status: status, headers: headers, body: text) }
    do {
      return try ResponseParser.completion(from: text)
    } catch let error as ProviderError {
      throw endpoint.redact(error)
    }
  }

  /// Reads an event stream as it arrives, noting when the first content token came.
  func streamed(_ response: HTTPClientResponse, since start: ContinuousClock.Instant) async throws -> Completion {
    var parser = StreamParser()
    var firstToken: Duration?
    var received = 0
    do {
      for try await var chunk in response.body {
        received += chunk.readableBytes
        guard received <= settings.maxBodyBytes else {
          throw ProviderError(.malformedResponse, "stream larger than \(settings.maxBodyBytes) bytes")
        }
        try parser.feed(chunk.readString(length: chunk.readableBytes) ?? "")
        if firstToken == nil, !parser.text.isEmpty { firstToken = start.duration(to: .now) }
      }
    } catch let error as ProviderError {
      throw endpoint.redact(error)
    } catch {
      // A stream broken off after [DONE] lost nothing; before it, the answer is incomplete.
      if !parser.done { throw endpoint.redact(HTTPFailure.classify(error, phase: .body, url: settings.baseURL)) }
    }
    do {
      var completion = try parser.finish()
      completion.timeToFirstTokenMs = firstToken.map(\.inMilliseconds)
      return completion
    } catch let error as ProviderError {
      throw endpoint.redact(error)
    }
  }

  /// The body: the canonical JSON (``JSONValue/canonicalJSON``) of the body fields with `model`, `messages`
  /// and the stream options, keys sorted. Only `messages` changes from call to call, so the text around it
  /// is made once (``bodyAround(_:)``) and each call writes the messages alone.
  func requestBody(_ request: CompletionRequest) -> String {
    var out = bodyAround.before
    out.reserveCapacity(
      out.utf8.count + bodyAround.after.utf8.count + 32
        + request.messages.reduce(0) { $0 + $1.role.utf8.count + $1.content.utf8.count + 26 })
    out += "["
    for (i, message) in request.messages.enumerated() {
      if i > 0 { out += "," }
      // `{"role":…,"content":…}` with its keys sorted.
      out += #"{"content":"#
      out += JSONValue.quote(message.content)
      out += #","role":"#
      out += JSONValue.quote(message.role)
      out += "}"
    }
    out += "]"
    out += bodyAround.after
    return out
  }

  /// The canonical JSON of the body's fixed members, split where `messages` goes: `{…"messages":` and `…}`.
  static func bodyAround(_ settings: Settings) -> (before: String, after: String) {
    var body = settings.bodyFields
    body["model"] = .string(settings.model)
    body["messages"] = nil
    if settings.stream {
      body["stream"] = true
      body["stream_options"] = ["include_usage": true]
    }
    var before = "{"
    var after = ""
    var placed = false
    for key in body.keys.sorted() {
      let member = JSONValue.quote(key) + ":" + (body[key] ?? .null).canonicalJSON
      if placed {
        after += "," + member
      } else if key < "messages" {
        before += member + ","
      } else {
        placed = true
        after += "," + member
      }
    }
    return (before + #""messages":"#, after + "}")
  }
}
