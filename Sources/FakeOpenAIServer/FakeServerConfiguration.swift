/// How the fake server behaves: latency, and which faults it injects how often.
public struct FakeServerConfiguration: Sendable {
  /// A fault the server can inject.
  public enum Fault: String, Sendable, CaseIterable, Codable {
    /// 429 with `Retry-After: 1`.
    case rateLimit = "429"
    /// 500 with an OpenAI-shaped error body.
    case serverError = "500"
    /// 503 with a plain-text body.
    case unavailable = "503"
    /// The connection is reset (TCP RST) without a response.
    case reset
    /// 200 whose body is not JSON.
    case malformed
    /// 200 whose body stops short of its Content-Length, then the connection closes.
    case truncated
    /// No response at all until the client gives up.
    case hang
    /// The status line and headers (200, a long Content-Length), then nothing (never drawn at random).
    case stall
    /// The status line and headers, then one byte of body every second, for ever: an idle timeout never
    /// fires (never drawn at random).
    case drip
    /// 401 whose error message repeats the key from the `Authorization` (or `x-api-key`) header, as
    /// careless servers do (never drawn at random; force it per request).
    case unauthorized = "401"
  }

  /// Delay before each response, counted from when its request is in (however long the answer takes to make).
  public var latency: Duration
  /// Probability of a random fault per chat request, 0…1.
  public var faultRate: Double
  /// The faults drawn from when a random fault fires.
  public var faultModes: [Fault]
  /// Seed of the fault draw; the same seed and requests give the same faults.
  public var seed: UInt64
  /// Probability, per distinct request, of a wrong answer ("I don't know.") instead of the usual reply:
  /// a degraded model for canary tests. Seeded by the request, so a request always gets the same answer.
  public var wrongAnswerRate: Double

  /// Creates a configuration.
  public init(
    latency: Duration = .zero, faultRate: Double = 0,
    faultModes: [Fault] = Fault.allCases.filter { ![.unauthorized, .stall, .drip].contains($0) }, seed: UInt64 = 1,
    wrongAnswerRate: Double = 0
  ) {
    self.latency = latency
    self.faultRate = faultRate
    self.faultModes = faultModes
    self.seed = seed
    self.wrongAnswerRate = wrongAnswerRate
  }
}

/// Counters a test reads back.
public struct FakeServerStats: Sendable, Codable, Hashable {
  /// Every HTTP request received.
  public var requests = 0
  /// Chat-completion requests.
  public var chatRequests = 0
  /// Embedding requests.
  public var embeddingRequests = 0
  /// Requests being handled now.
  public var inFlight = 0
  /// The most requests handled at once.
  public var maxInFlight = 0
  /// Faults injected, by mode.
  public var faults: [String: Int] = [:]
  /// The most hangs injected into requests with the same last user message (one case's tries).
  public var maxHangsPerPrompt = 0

  /// Creates zeroed stats.
  public init() {}
}
