/// What the fake server does with one request, decided by ``FakeEndpoint/respond(to:state:)`` and carried out by
/// the NIO handler: wait `delay`, then the `action`.
public struct FakeResponse: Sendable, Equatable {
  /// A response header, in the order written.
  public struct Header: Sendable, Equatable {
    /// The header's name as written.
    public var name: String
    /// The header's value.
    public var value: String

    /// Creates a header.
    public init(_ name: String, _ value: String) {
      self.name = name
      self.value = value
    }
  }

  /// What follows the status line and headers.
  public enum Body: Sendable, Equatable {
    /// These pieces, each written as it is (an event stream's events), then the end of the message.
    case complete([String])
    /// This text, short of the declared `Content-Length`, then the connection closes.
    case truncated(String)
    /// Nothing more until the client closes; with `drip`, one space a second.
    case held(drip: Bool)
  }

  /// What the server sends.
  public enum Action: Sendable, Equatable {
    /// A status line, headers and a body.
    case send(status: Int, headers: [Header], body: Body)
    /// The connection is reset (TCP RST, `SO_LINGER` 0) without a response.
    case reset
    /// No response at all.
    case hang
  }

  /// How long to wait before the action.
  public var delay: Duration
  /// What to send.
  public var action: Action

  /// Creates a response.
  public init(delay: Duration = .zero, action: Action) {
    self.delay = delay
    self.action = action
  }

  /// A complete response with `Content-Type`, `Content-Length` and `extra` headers, in that order.
  public static func text(
    _ status: Int, _ body: String, contentType: String = "application/json", extra: [Header] = []
  ) -> FakeResponse {
    let headers = [Header("Content-Type", contentType), Header("Content-Length", String(body.utf8.count))] + extra
    return FakeResponse(action: .send(status: status, headers: headers, body: .complete([body])))
  }

  /// A `text/event-stream` response of `events`, with no `Content-Length` (sent chunked).
  public static func events(_ events: [String], extra: [Header] = []) -> FakeResponse {
    FakeResponse(
      action: .send(
        status: 200, headers: [Header("Content-Type", "text/event-stream")] + extra, body: .complete(events)))
  }

  /// The status sent, or `nil` for a reset or a hang.
  public var status: Int? {
    if case .send(let status, _, _) = action { return status }
    return nil
  }

  /// The body text sent (a stream's events joined), empty for a reset or a hang.
  public var bodyText: String {
    guard case .send(_, _, let body) = action else { return "" }
    switch body {
    case .complete(let pieces): return pieces.joined()
    case .truncated(let text): return text
    case .held: return ""
    }
  }

  /// The value of the first header named `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    guard case .send(_, let headers, _) = action else { return nil }
    return headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }
}
