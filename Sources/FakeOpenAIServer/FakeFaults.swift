import Foundation

/// The response that injects a fault: a status and body, a cut-short or held body, a reset or a hang.
enum FakeFaults {
  /// What the server sends for `fault`; `request` gives the key an `unauthorized` answer repeats.
  static func response(_ fault: FakeServerConfiguration.Fault, request: FakeRequest) -> FakeResponse {
    switch fault {
    case .unauthorized:
      // Real servers echo the key they were given, without the scheme ("Incorrect API key provided: sk-…").
      var presented = request.headers["authorization"] ?? request.headers["x-api-key"] ?? "(none)"
      if let space = presented.firstIndex(of: " ") { presented = String(presented[presented.index(after: space)...]) }
      let message = "Incorrect API key provided: \(presented)".replacingOccurrences(of: "\"", with: "'")
      return .text(401, #"{"error":{"message":"\#(message)","type":"invalid_request_error"}}"#)
    case .rateLimit:
      return .text(
        429, #"{"error":{"message":"Rate limit reached, retry after 1s","type":"rate_limit_exceeded"}}"#,
        extra: [.init("Retry-After", "1")])
    case .serverError:
      return .text(500, #"{"error":{"message":"The server had an error","type":"server_error"}}"#)
    case .unavailable:
      return .text(503, "Service Unavailable", contentType: "text/plain")
    case .malformed:
      return .text(200, #"{"id":"chatcmpl-fake","choices":[{"message":"#)
    case .truncated:
      return FakeResponse(
        action: .send(
          status: 200, headers: [.init("Content-Type", "application/json"), .init("Content-Length", "400")],
          body: .truncated(#"{"id":"chatcmpl-fake","choices":[{"#)))
    case .reset:
      return FakeResponse(action: .reset)
    case .hang:
      return FakeResponse(action: .hang)
    case .stall, .drip:
      return FakeResponse(
        action: .send(
          status: 200, headers: [.init("Content-Type", "application/json"), .init("Content-Length", "1000000")],
          body: .held(drip: fault == .drip)))
    }
  }
}
