extension FakeEndpoint {
  /// What the fake server remembers between requests: its configuration, the counters a test reads back,
  /// and how often each request body and prompt was seen (a fault draw depends on the attempt).
  public struct State: Sendable {
    /// How the server behaves.
    public var configuration: FakeServerConfiguration
    /// The counters.
    public var stats = FakeServerStats()
    /// Chat requests per body: the attempt number of the next identical request.
    public var seen: [String: Int] = [:]
    /// Chat requests per last user message.
    public var byPrompt: [String: Int] = [:]
    /// Hangs injected per prompt.
    public var hangsByPrompt: [String: Int] = [:]

    /// Creates the state of a server that has seen nothing yet.
    public init(configuration: FakeServerConfiguration = FakeServerConfiguration()) {
      self.configuration = configuration
    }
  }
}
