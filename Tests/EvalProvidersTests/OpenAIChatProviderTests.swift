import EvalCore
import EvalProviders
import EvalTestSupport
import FakeOpenAIServer
import Foundation
import Testing

/// The real `openai` provider over real HTTP on loopback, against the in-repo fake server.
@Suite(.serialized, .offThePool)
struct OpenAIChatProviderTests {
  @Test(
    arguments: [
      (
        "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
        "Hello", nil
      ),
      ("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n", nil, ProviderError.Kind.truncated),
      ("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: [DONE]\n\n", nil, .truncated),
      ("", nil, .malformedResponse),
      ("data: {not json}\n\n", nil, .malformedResponse),
    ] as [(String, String?, ProviderError.Kind?)])
  func streamParserNeverPassesAPartialAnswer(body: String, text: String?, kind: ProviderError.Kind?) throws {
    // Fed in 7-byte pieces, as a network delivers it.
    var parser = StreamParserProbe()
    var rest = Substring(body)
    do {
      while !rest.isEmpty {
        try parser.feed(String(rest.prefix(7)))
        rest = rest.dropFirst(7)
      }
      let c = try parser.finish()
      #expect(c.text == text)
      #expect(kind == nil)
    } catch let error as ProviderError {
      #expect(error.kind == kind, "\(error)")
    }
  }

  static func withServer(
    _ configuration: FakeServerConfiguration = FakeServerConfiguration(), concurrency: Int = 8,
    config: [String: JSONValue] = [:], environment: [String: String] = [:],
    _ body: (FakeOpenAIServer, any Provider) async throws -> Void
  ) async throws {
    try await FakeServerHarness.withProvider(configuration, concurrency: concurrency, environment: environment) {
      server in
      var settings = config
      settings["apiBaseUrl"] = .string(server.baseURL)
      return ProviderSpec(
        id: "openai:chat:fake-model", label: "fake", config: settings, location: .init(file: "t.yaml", line: 1))
    } _: { server, provider in
      try await body(server, provider)
    }
  }

  /// `n` cases asking `q0`, `q1`, … of the provider under key `k`.
  static func cases(_ n: Int, plan: ScoringPlan) -> [EvalCase] {
    (0..<n).map { i in
      EvalCase(
        id: CaseID(rawValue: "c\(i)"), suiteID: "s", location: .init(file: "s.yaml"), title: "c\(i)", promptLabel: "p",
        providerLabel: "fake", providerKey: "k", vars: [:], messages: [ChatMessage(role: "user", content: "q\(i)")],
        plan: plan)
    }
  }

  static func request(_ text: String) -> CompletionRequest {
    CompletionRequest(messages: [
      ChatMessage(role: "system", content: "be brief"), ChatMessage(role: "user", content: text),
    ])
  }

  @Test func completionCarriesTextUsageAndFinishReason() async throws {
    try await Self.withServer { server, provider in
      let c = try await provider.complete(Self.request("hello there"))
      #expect(c.text == "You said: hello there")
      #expect(c.finishReason == "stop")
      #expect(c.model == "fake-model")
      #expect(c.usage?.promptTokens == 4)
      #expect(c.usage?.completionTokens == 4)
      #expect(server.stats.chatRequests == 1)
    }
  }

  @Test func streamingRecordsTimeToFirstToken() async throws {
    try await Self.withServer(config: ["stream": true]) { _, provider in
      let c = try await provider.complete(Self.request("[[latency:120]] [[reply:a b c]]"))
      let ttft = try #require(c.timeToFirstTokenMs)
      #expect(ttft >= 120 && ttft < 5000)
      #expect(c.text == "a b c")
    }
  }

  @Test func streamingAssemblesDeltas() async throws {
    try await Self.withServer(config: ["stream": true]) { _, provider in
      let c = try await provider.complete(Self.request("[[reply:one two three]] [[finish:length]]"))
      #expect(c.text == "one two three")
      #expect(c.finishReason == "length")
      #expect(c.usage?.completionTokens == 3)
    }
  }

  @Test(arguments: [
    ("429", ProviderError.Kind.rateLimited, "http_429", "Rate limit reached"),
    ("500", .http, "http_500", "The server had an error"),
    ("503", .http, "http_503", "Service Unavailable"),
    ("reset", .connection, "connection", "reset"),
    ("malformed", .malformedResponse, "malformed_response", "not a chat completion"),
    ("truncated", .truncated, "truncated", "response body"),
  ])
  func faultBecomesTypedError(fault: String, kind: ProviderError.Kind, typeName: String, fragment: String) async throws
  {
    try await Self.withServer { server, provider in
      do {
        _ = try await provider.complete(Self.request("[[fault:\(fault)]] hi"))
        Issue.record("fault \(fault) did not throw")
      } catch let error as ProviderError {
        #expect(error.kind == kind, "\(error)")
        #expect(error.typeName == typeName)
        #expect(error.message.contains(fragment), "\(error)")
        #expect(!error.message.contains("\n"))
      }
      #expect(server.stats.faults[fault] == 1)
      // The connection pool recovers: the next call on the same provider succeeds.
      #expect(try await provider.complete(Self.request("after")).text == "You said: after")
    }
  }

  @Test func hangIsEndedByTheRunnerTimeout() async throws {
    try await Self.withServer { _, provider in
      let plan = try ScoringPlan.build([], threshold: nil, registry: .standard)
      let c = EvalCase(
        id: CaseID(rawValue: "h"), suiteID: "s", location: .init(file: "s.yaml"), title: "hang", promptLabel: "p",
        providerLabel: "fake", providerKey: "k", vars: [:],
        messages: [ChatMessage(role: "user", content: "[[fault:hang]]")],
        plan: plan)
      let start = ContinuousClock.now
      let results = await Runner(concurrency: 1, timeout: .milliseconds(300), retry: .none).run(
        [c], providers: ["k": provider])
      #expect(ContinuousClock.now - start < .seconds(300))  // the hang lasts far longer; loose for loaded CI
      #expect(results[0].outcome == .errored)
      #expect(results[0].attempts[0].error?.kind == .timeout)
    }
  }

  @Test func faultsAcrossARunAreAllAccountedFor() async throws {
    let configuration = FakeServerConfiguration(
      faultRate: 0.5, faultModes: [.rateLimit, .serverError, .unavailable, .reset, .malformed, .truncated], seed: 42)
    try await Self.withServer(configuration, concurrency: 8) { server, provider in
      let plan = try ScoringPlan.build(
        [AssertionSpec(type: "contains", value: "You said", location: .init(file: "s.yaml"))], threshold: nil,
        registry: .standard)
      let cases = Self.cases(60, plan: plan)
      let results = await Runner(concurrency: 8, timeout: .seconds(10), retry: .none).run(
        cases, providers: ["k": provider])
      let passed = results.filter { $0.outcome == .passed }.count
      let errored = results.filter { $0.outcome == .errored }.count
      #expect(passed + errored == 60)
      #expect(results.filter { $0.outcome == .failed }.isEmpty)
      let stats = server.stats
      #expect(stats.chatRequests == 60)
      #expect(stats.faults.values.reduce(0, +) == errored)
      #expect(errored > 10 && errored < 50)
    }
  }

  @Test func retriesTurnThirtyPercentFaultsIntoPasses() async throws {
    let configuration = FakeServerConfiguration(
      faultRate: 0.3, faultModes: [.rateLimit, .serverError, .unavailable, .reset, .malformed, .truncated], seed: 7)
    try await Self.withServer(configuration, concurrency: 16) { server, provider in
      let plan = try ScoringPlan.build(
        [AssertionSpec(type: "starts-with", value: "You said", location: .init(file: "s.yaml"))], threshold: nil,
        registry: .standard)
      let cases = Self.cases(200, plan: plan)
      // Short waits keep the test fast; the server's Retry-After of 1 s is capped by maxDelay.
      let policy = RetryPolicy(maxRetries: 6, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50))
      let results = await Runner(concurrency: 16, timeout: .seconds(10), retry: policy).run(
        cases, providers: ["k": provider])
      #expect(results.filter { $0.outcome == .passed }.count == 200)
      let retries = results.flatMap(\.attempts).map(\.retries).reduce(0, +)
      let stats = server.stats
      #expect(stats.faults.values.reduce(0, +) == retries)
      #expect(stats.chatRequests == 200 + retries)
    }
  }

  @Test func rateLimitCarriesTheServersRetryAfter() async throws {
    try await Self.withServer { _, provider in
      do {
        _ = try await provider.complete(Self.request("[[fault:429]]"))
        Issue.record("expected a rate-limit error")
      } catch let error as ProviderError {
        #expect(error.retryAfterMs == 1000)
      }
    }
  }

  @Test(arguments: [16, 64])
  func serverSeesExactlyCInFlight(concurrency: Int) async throws {
    // Each reply takes 2 s, so all C calls are in flight together even when a loaded machine starts them slowly.
    try await Self.withServer(FakeServerConfiguration(latency: .milliseconds(2000)), concurrency: concurrency) {
      server, provider in
      let plan = try ScoringPlan.build([], threshold: nil, registry: .standard)
      let cases = Self.cases(concurrency * 3, plan: plan)
      let results = await Runner(concurrency: concurrency, timeout: .seconds(30)).run(cases, providers: ["k": provider])
      #expect(results.allSatisfy { $0.outcome == .passed })
      #expect(server.stats.maxInFlight == concurrency)
    }
  }

  @Test func nothingListeningIsAConnectionErrorNamingTheEndpoint() async throws {
    let factory = ProviderFactory(environment: [:], concurrency: 2)
    let spec = ProviderSpec(
      id: "openai:chat:m", config: ["apiBaseUrl": "http://127.0.0.1:1/v1"], location: .init(file: "t.yaml"))
    let provider = try factory.make(spec)
    await #expect {
      _ = try await provider.complete(Self.request("hi"))
    } throws: { error in
      guard let e = error as? ProviderError else { return false }
      return e.kind == .connection && e.message.contains("127.0.0.1:1")
    }
    await factory.shutdown()
  }

  @Test func apiKeyComesFromTheNamedVariableAndIsRequired() async throws {
    let factory = ProviderFactory(environment: ["OTHER": "x"], concurrency: 2)
    let spec = ProviderSpec(
      id: "openai:chat:m", config: ["apiBaseUrl": "http://127.0.0.1:1/v1", "apiKeyEnvar": "MY_KEY"],
      location: .init(file: "t.yaml", line: 3, column: 5))
    #expect {
      _ = try factory.make(spec)
    } throws: { error in
      (error as? Diagnostic)?.description
        == "t.yaml:3:5: error: provider 'openai:chat:m' needs an API key: set the environment variable MY_KEY"
    }
    await factory.shutdown()
  }

  @Test func errorBodiesOfAnyShapeBecomeOneLine() {
    let fastAPI = #"{"detail":[{"loc":["body","messages"],"msg":"field required","type":"value_error.missing"}]}"#
    #expect(ProviderErrorShapes.message(422, fastAPI).hasPrefix("HTTP 422 Unprocessable Entity: [{"))
    #expect(
      ProviderErrorShapes.message(400, #"{"error":{"message":"bad model","code":"model_not_found"}}"#)
        == "HTTP 400 Bad Request: bad model")
    #expect(
      ProviderErrorShapes.message(500, "Internal\nServer Error\n")
        == "HTTP 500 Internal Server Error: Internal Server Error")
    #expect(ProviderErrorShapes.message(502, "") == "HTTP 502 Bad Gateway")
  }
}
