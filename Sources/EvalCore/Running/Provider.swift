import Foundation

/// A model endpoint. Implementations live at the edges (network, processes); the core only calls this.
///
/// A provider turns one request into one completion or throws a ``ProviderError``. It must honour task
/// cancellation: the runner cancels a call when its timeout passes or the run is interrupted.
public protocol Provider: Sendable {
  /// The name shown in reports.
  var label: String { get }
  /// Sends one request.
  /// - Throws: ``ProviderError`` for every failure the endpoint can produce.
  func complete(_ request: CompletionRequest) async throws -> Completion
  /// An answer known without calling anything (a response cache read ahead), or `nil`. The runner takes
  /// it without a place in the call window, pacing, circuit breaker or timeout, since nothing is called.
  func knownAnswer(for request: CompletionRequest) -> Completion?
  /// Starts opening up to `connections` connections to the endpoint ahead of the run's first calls, while the run
  /// starts up, and returns at once: each call that finds no open connection takes one being opened (a failed one
  /// fails it as its own connect would). Nothing for a provider that keeps no connections.
  func warmUp(connections: Int)
}

extension Provider {
  /// No answer is known without a call.
  public func knownAnswer(for request: CompletionRequest) -> Completion? { nil }

  /// Nothing to open ahead.
  public func warmUp(connections: Int) {}
}

/// One call to a model: rendered messages plus what a deterministic provider may key on.
public struct CompletionRequest: Sendable, Hashable {
  /// The chat messages after templating.
  public var messages: [ChatMessage]
  /// The case's variables (offline providers may use them).
  public var vars: [String: JSONValue]
  /// Which repeat this is, from 0.
  public var repeatIndex: Int
  /// The case id, for logs and request headers.
  public var caseID: String

  /// Creates a request.
  public init(messages: [ChatMessage], vars: [String: JSONValue] = [:], repeatIndex: Int = 0, caseID: String = "") {
    self.messages = messages
    self.vars = vars
    self.repeatIndex = repeatIndex
    self.caseID = caseID
  }

  /// All message contents joined by blank lines: what a text-only provider (exec, echo) receives.
  public var promptText: String {
    if messages.count == 1 { return messages[0].content }
    return messages.map { "\($0.role): \($0.content)" }.joined(separator: "\n\n")
  }
}

/// A rendered chat message.
public typealias ChatMessage = MessageTemplate

/// What a model returned.
public struct Completion: Sendable, Hashable, Codable {
  /// The text output.
  public var text: String
  /// Why generation stopped (`stop`, `length`, `tool_calls`, `content_filter`), when the endpoint says.
  public var finishReason: String?
  /// Token counts, when the endpoint reports them.
  public var usage: Usage?
  /// The model that answered, when the endpoint says.
  public var model: String?
  /// For streamed answers: milliseconds from sending the request to the first content token.
  public var timeToFirstTokenMs: Double?
  /// Ids of the documents a RAG endpoint says it retrieved, in rank order.
  public var contextIDs: [String]?
  /// True when the answer came from the response cache rather than the endpoint.
  public var cached: Bool?
  /// For an answer kept in the response cache: how long the endpoint took when it was fetched, in
  /// milliseconds, so a cached answer reports that latency rather than the cache's 0.
  public var latencyMs: Double?
  /// True when `text` is the JSON of data the endpoint answered with rather than text: tool calls, a function
  /// call, Gemini's parts. Code assertions then get it as data, as promptfoo passes its output.
  public var structured: Bool?

  /// Creates a completion.
  public init(
    text: String, finishReason: String? = nil, usage: Usage? = nil, model: String? = nil,
    timeToFirstTokenMs: Double? = nil
  ) {
    self.text = text
    self.finishReason = finishReason
    self.usage = usage
    self.model = model
    self.timeToFirstTokenMs = timeToFirstTokenMs
  }
}

/// Token counts of one call. A missing count is unknown, never zero.
public struct Usage: Sendable, Hashable, Codable {
  /// Prompt (input) tokens.
  public var promptTokens: Int?
  /// Completion (output) tokens.
  public var completionTokens: Int?
  /// Total tokens.
  public var totalTokens: Int?
  /// Prompt tokens served from the provider's prompt cache (part of `promptTokens`).
  public var cachedTokens: Int?
  /// Reasoning tokens (part of `completionTokens`).
  public var reasoningTokens: Int?

  /// Creates usage.
  public init(
    promptTokens: Int? = nil, completionTokens: Int? = nil, totalTokens: Int? = nil, cachedTokens: Int? = nil,
    reasoningTokens: Int? = nil
  ) {
    self.promptTokens = promptTokens
    self.completionTokens = completionTokens
    self.totalTokens = totalTokens ?? promptTokens.flatMap { p in completionTokens.map { p + $0 } }
    self.cachedTokens = cachedTokens
    self.reasoningTokens = reasoningTokens
  }
}

/// A typed provider failure; it becomes an `error` result for that case, never a crash.
public struct ProviderError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
  /// What kind of failure.
  public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The call exceeded its timeout.
    case timeout
    /// The endpoint answered with an HTTP error status.
    case http
    /// Rate limited (HTTP 429).
    case rateLimited = "rate_limited"
    /// Could not connect, or the connection broke.
    case connection
    /// The provider's circuit breaker is open: it failed to connect too many times in a row.
    case unreachable
    /// The body was cut off before it was complete.
    case truncated
    /// The body was not the expected JSON.
    case malformedResponse = "malformed_response"
    /// An `exec` command failed or exited non-zero.
    case process
    /// The provider is misconfigured (missing key, bad URL).
    case configuration
    /// The run was interrupted before the call finished.
    case cancelled
    /// Anything else.
    case other
  }

  /// The kind.
  public var kind: Kind
  /// One readable line; never contains secrets.
  public var message: String
  /// The HTTP status, when there was one.
  public var status: Int?
  /// How long the server asked the client to wait before trying again, in milliseconds (see ``RetryHint``).
  public var retryAfterMs: Double?

  /// Creates an error.
  public init(_ kind: Kind, _ message: String, status: Int? = nil, retryAfterMs: Double? = nil) {
    self.kind = kind
    self.message = message
    self.status = status
    self.retryAfterMs = retryAfterMs
  }

  /// A short type name for reports: `http_500`, `timeout`, `connection`, ….
  public var typeName: String {
    if let status, kind == .http || kind == .rateLimited { return "http_\(status)" }
    return kind.rawValue
  }

  /// `typeName: message`.
  public var description: String { "\(typeName): \(message)" }
}
