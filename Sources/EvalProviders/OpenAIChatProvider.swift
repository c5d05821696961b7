import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore
import NIOHTTP1

/// An OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp, Ollama, LiteLLM, …) over
/// async-http-client. Every failure becomes a typed ``ProviderError``; the API key never appears in one.
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
  let client: HTTPClient
  /// A deadline for the whole HTTP exchange; the runner's timeout normally fires first.
  let deadline: TimeAmount

  /// Creates a provider on a shared client (the caller shuts the client down).
  public init(settings: Settings, client: HTTPClient, deadline: TimeAmount = .seconds(600)) {
    self.settings = settings
    self.client = client
    self.deadline = deadline
  }

  public var label: String { settings.label }

  public func complete(_ request: CompletionRequest) async throws -> Completion {
    var http = HTTPClientRequest(url: settings.baseURL + "/chat/completions")
    http.method = .POST
    http.headers.add(name: "Content-Type", value: "application/json")
    http.headers.add(name: "Accept", value: settings.stream ? "text/event-stream" : "application/json")
    for (name, value) in settings.headers.sorted(by: { $0.key < $1.key }) { http.headers.add(name: name, value: value) }
    if let key = settings.apiKey, !key.isEmpty { http.headers.add(name: "Authorization", value: "Bearer \(key)") }
    http.body = .bytes(ByteBuffer(string: requestBody(request)))

    let start = ContinuousClock.now
    let response: HTTPClientResponse
    do {
      response = try await client.execute(http, deadline: .now() + deadline)
    } catch {
      throw redact(OpenAIChatProvider.classify(error, phase: .connect, url: settings.baseURL))
    }
    if settings.stream, (200..<300).contains(response.status.code) {
      return try await streamed(response, since: start)
    }
    var body: ByteBuffer
    do {
      body = try await response.body.collect(upTo: settings.maxBodyBytes)
    } catch {
      throw redact(OpenAIChatProvider.classify(error, phase: .body, url: settings.baseURL))
    }
    let text = body.readString(length: body.readableBytes) ?? ""
    guard (200..<300).contains(response.status.code) else {
      var error = OpenAIChatProvider.httpError(status: Int(response.status.code), body: text)
      let headers = response.headers.map { ($0.name, $0.value) }
      error.retryAfterMs = RetryHint.delay(headers: headers, now: Date()).map(Runner.milliseconds)
      throw redact(error)
    }
    do {
      return try ResponseParser.completion(from: text)
    } catch let error as ProviderError {
      throw redact(error)
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
      throw redact(error)
    } catch {
      // A stream broken off after [DONE] lost nothing; before it, the answer is incomplete.
      if !parser.done { throw redact(OpenAIChatProvider.classify(error, phase: .body, url: settings.baseURL)) }
    }
    do {
      var completion = try parser.finish()
      completion.timeToFirstTokenMs = firstToken.map(Runner.milliseconds)
      return completion
    } catch let error as ProviderError {
      throw redact(error)
    }
  }

  func requestBody(_ request: CompletionRequest) -> String {
    var body = settings.bodyFields
    body["model"] = .string(settings.model)
    body["messages"] = .array(
      request.messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) })
    if settings.stream {
      body["stream"] = true
      body["stream_options"] = ["include_usage": true]
    }
    return JSONValue.object(body).canonicalJSON
  }

  /// Removes the key from any text that might echo it (some servers repeat the header in errors).
  func redact(_ error: ProviderError) -> ProviderError {
    guard let key = settings.apiKey, key.count >= 4, error.message.contains(key) else { return error }
    var e = error
    e.message = e.message.replacingOccurrences(of: key, with: "[REDACTED]")
    return e
  }

  enum Phase { case connect, body }

  static func classify(_ error: any Error, phase: Phase, url: String) -> ProviderError {
    if error is CancellationError { return ProviderError(.cancelled, "call cancelled") }
    if let e = error as? HTTPClientError {
      switch e {
      case .cancelled: return ProviderError(.cancelled, "call cancelled")
      case .deadlineExceeded, .readTimeout: return ProviderError(.timeout, "no response from \(url) in time")
      case .connectTimeout: return ProviderError(.connection, "connect to \(url) timed out")
      case .remoteConnectionClosed:
        return phase == .body
          ? ProviderError(.truncated, "connection closed before the response body was complete")
          : ProviderError(.connection, "\(url) closed the connection before responding")
      case .bodyLengthMismatch:
        return ProviderError(.truncated, "response body shorter than its Content-Length")
      default:
        break
      }
    }
    let text = String(describing: error)
    if phase == .body { return ProviderError(.truncated, "response body broken off: \(text)") }
    if text.contains("connectionRefused") || text.lowercased().contains("connection refused") {
      return ProviderError(.connection, "\(url) refused the connection (nothing listening?)")
    }
    if text.lowercased().contains("reset") { return ProviderError(.connection, "connection to \(url) was reset") }
    return ProviderError(.connection, "cannot reach \(url): \(text)")
  }

  /// A readable one-line message from an error body of any shape (OpenAI, FastAPI, plain text).
  static func httpError(status: Int, body: String) -> ProviderError {
    var detail = ""
    if let json = JSONValue.parse(body) {
      if let message = json.value(atPath: ["error", "message"])?.stringValue {
        detail = message
      } else if let message = json.value(atPath: ["error"])?.stringValue {
        detail = message
      } else if let message = json.value(atPath: ["message"])?.stringValue {
        detail = message
      } else if let d = json.value(atPath: ["detail"]) {
        detail = d.stringValue ?? d.canonicalJSON
      } else {
        detail = json.canonicalJSON
      }
    } else {
      detail = body
    }
    detail = detail.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    if detail.count > 200 { detail = String(detail.prefix(199)) + "…" }
    let reason = HTTPResponseStatus(statusCode: status).reasonPhrase
    let message = "HTTP \(status) \(reason)" + (detail.isEmpty ? "" : ": \(detail)")
    return ProviderError(status == 429 ? .rateLimited : .http, message, status: status)
  }
}

/// The one-line message evalgate makes of an HTTP error body (exposed for tests and other HTTP providers).
public enum ProviderErrorShapes {
  /// `HTTP <status> <reason>: <detail>` from a body of any shape.
  public static func message(_ status: Int, _ body: String) -> String {
    OpenAIChatProvider.httpError(status: status, body: body).message
  }
}
