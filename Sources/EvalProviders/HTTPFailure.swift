import AsyncHTTPClient
import EvalCore
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP endpoint that speaks JSON: sends a request, reads the body, and turns every failure into
/// a typed ``ProviderError`` whose text never holds the API key. Shared by the HTTP providers.
struct JSONEndpoint: Sendable {
  let client: HTTPClient
  /// The base URL, named in connection errors.
  let baseURL: String
  /// Removes keys, header values and every other credential from any text a server echoes back.
  let redactor: Redactor
  let maxBodyBytes: Int
  let deadline: TimeAmount
  /// The client for plain `http://` calls that read the response whole, where the provider uses one.
  var plain: PlainHTTPClient? = nil

  /// Sends `request`; a connection failure becomes a typed error.
  func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
    do {
      return try await client.execute(request, deadline: .now() + deadline)
    } catch {
      throw redact(HTTPFailure.classify(error, phase: .connect, url: baseURL))
    }
  }

  /// Sends `request` to `target` through ``plain`` and reads the response whole; a failure becomes a typed
  /// error, as ``send(_:)`` and ``text(of:)`` make it.
  func exchange(_ request: PlainHTTPClient.Request, to target: PlainHTTPClient.Target, on plain: PlainHTTPClient)
    async throws -> PlainHTTPClient.Response
  {
    do {
      return try await plain.execute(request, to: target, deadline: .now() + deadline, maxBodyBytes: maxBodyBytes)
    } catch {
      throw redact(HTTPFailure.classify(plain: error, url: baseURL))
    }
  }

  /// The whole body as text; a body broken off becomes a typed error.
  func text(of response: HTTPClientResponse) async throws -> String {
    do {
      var body = try await response.body.collect(upTo: maxBodyBytes)
      return body.readString(length: body.readableBytes) ?? ""
    } catch {
      throw redact(HTTPFailure.classify(error, phase: .body, url: baseURL))
    }
  }

  /// The error for a non-2xx response: a one-line message and the server's wait hint.
  func failure(_ response: HTTPClientResponse, body: String) -> ProviderError {
    failure(status: Int(response.status.code), headers: response.headers, body: body)
  }

  /// The error for a non-2xx `status` with `headers` and `body`.
  func failure(status: Int, headers: HTTPHeaders, body: String) -> ProviderError {
    var error = HTTPFailure.httpError(status: status, body: body, redactor: redactor)
    error.retryAfterMs = RetryHint.delay(headers: headers.map { ($0.name, $0.value) }, now: Date()).map(
      \.inMilliseconds)
    return redact(error)
  }

  /// Removes credentials from any text that might echo them (some servers repeat the header in errors).
  func redact(_ error: ProviderError) -> ProviderError {
    var e = error
    e.message = redactor.redact(e.message)
    return e
  }
}

/// How HTTP failures read: transport errors by phase, and error bodies of any shape as one line.
enum HTTPFailure {
  /// Whether the response had begun when the failure came (the same for either client).
  typealias Phase = PlainHTTPFailure.Phase

  /// A ``PlainHTTPClient`` failure by the phase it names (anything else, a cancel before sending, as `connect`).
  static func classify(plain error: any Error, url: String) -> ProviderError {
    guard let failure = error as? PlainHTTPFailure else { return classify(error, phase: .connect, url: url) }
    return classify(failure.error, phase: failure.phase, url: url)
  }

  static func classify(_ error: any Error, phase: Phase, url: String) -> ProviderError {
    if error is CancellationError { return ProviderError(.cancelled, "call cancelled") }
    if let e = error as? HTTPClientError {
      switch e {
      case .cancelled: return ProviderError(.cancelled, "call cancelled")
      case .deadlineExceeded, .readTimeout: return ProviderError(.timeout, "no response from \(url) in time")
      case .connectTimeout: return ProviderError(.connection, "connect to \(url) timed out")
      case .getConnectionFromPoolTimeout:
        // The client's own pool was full: a local wait, not a sign that the endpoint is down.
        return ProviderError(.timeout, "no free connection to \(url) in time (connection pool full)")
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

  /// A readable one-line message from an error body of any shape (OpenAI, FastAPI, plain text), with
  /// credentials redacted before it is cut to length (a key crossing the cut would leave its start).
  static func httpError(status: Int, body: String, redactor: Redactor = Redactor()) -> ProviderError {
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
    detail = redactor.redact(
      detail.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces))
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
    HTTPFailure.httpError(status: status, body: body).message
  }
}
