import AsyncHTTPClient
import EvalCore
import EvalTestSupport
import FakeOpenAIServer
import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOPosix
import Testing

@testable import EvalProviders

/// The plain-HTTP transport against a server that answers byte for byte as scripted: what real servers send
/// (chunked and close-delimited bodies, interim responses, `Connection: close`) and how they fail (bodies cut
/// short, silence, connections closed while idle), over loopback.
@Suite(.offThePool) struct PlainHTTPClientTests {
  static let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

  /// Runs `body` with a client and a scripted server, and always shuts both down.
  static func withServer(
    _ script: @escaping @Sendable (Int) -> ScriptedHTTPServer.Action,
    _ body: (PlainHTTPClient, PlainHTTPClient.Target, ScriptedHTTPServer) async throws -> Void
  ) async throws {
    let server = ScriptedHTTPServer(script: script)
    let port = try await server.start()
    let client = PlainHTTPClient()
    let target = try #require(PlainHTTPClient.Target("http://127.0.0.1:\(port)/v1/chat/completions"))
    do {
      try await body(client, target, server)
    } catch {
      await client.shutdown()
      await server.stop()
      throw error
    }
    await client.shutdown()
    await server.stop()
  }

  static func send(
    _ client: PlainHTTPClient, _ target: PlainHTTPClient.Target, _ text: String = "{}",
    deadline: TimeAmount = .seconds(120), limit: Int = 1 << 20
  ) async throws -> PlainHTTPClient.Response {
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: "application/json")
    return try await client.execute(
      PlainHTTPClient.Request(.POST, target, headers: headers, body: ByteBuffer(string: text)), to: target,
      deadline: .now() + deadline, maxBodyBytes: limit)
  }

  /// A reader on a connected embedded channel, behind NIO's HTTP client codec.
  static func embeddedReader() async throws -> (EmbeddedChannel, PlainHTTPResponseReader) {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHTTPClientHandlers()
    let reader = PlainHTTPResponseReader()
    try channel.pipeline.syncOperations.addHandler(reader)
    try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).get()
    return (channel, reader)
  }

  /// A request for the embedded reader.
  static func request() throws -> PlainHTTPClient.Request {
    let target = try #require(PlainHTTPClient.Target("http://127.0.0.1/v1"))
    return PlainHTTPClient.Request(.POST, target, headers: HTTPHeaders(), body: ByteBuffer(string: "{}"))
  }

  /// Whether `condition` holds within twenty seconds.
  static func eventually(_ condition: () -> Bool) async -> Bool {
    for _ in 0..<2000 {
      if condition() { return true }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
  }

  /// The failure `body` ends with, classified as the providers classify it.
  static func failure(
    _ body: () async throws -> PlainHTTPClient.Response
  ) async -> (phase: HTTPFailure.Phase, error: ProviderError)? {
    do {
      _ = try await body()
      return nil
    } catch {
      return ((error as? PlainHTTPFailure)?.phase ?? .connect, HTTPFailure.classify(plain: error, url: "http://x"))
    }
  }

  @Test func targetsArePlainHTTPURLsOnly() throws {
    let target = try #require(PlainHTTPClient.Target("http://models.internal:8000/v1/chat/completions?api-version=1"))
    #expect(target.host == "models.internal")
    #expect(target.port == 8000)
    #expect(target.uri == "/v1/chat/completions?api-version=1")
    #expect(target.hostHeader == "models.internal:8000")
    let defaultPort = try #require(PlainHTTPClient.Target("http://localhost/v1"))
    #expect(defaultPort.port == 80)
    #expect(defaultPort.hostHeader == "localhost")
    let v6 = try #require(PlainHTTPClient.Target("http://[::1]:9000/v1"))
    #expect(v6.host == "::1")
    #expect(v6.hostHeader == "[::1]:9000")
    // An address is connected to as it is; a name is resolved.
    #expect(v6.address != nil && PlainHTTPClient.Target("http://10.0.0.7:8000/v1")?.address != nil)
    #expect(target.address == nil && defaultPort.address == nil)
    #expect(PlainHTTPClient.Target("https://api.openai.com/v1/chat/completions") == nil)
    #expect(PlainHTTPClient.Target("http://user:secret@host/v1") == nil)
    #expect(PlainHTTPClient.Target("not a url") == nil)
  }

  @Test func oneKeptAliveConnectionCarriesEveryRequestInTurn() async throws {
    try await Self.withServer({ _ in .reply(Self.ok) }) { client, target, server in
      for i in 0..<20 {
        let response = try await Self.send(client, target, #"{"n":\#(i)}"#)
        #expect(response.status == 200)
        #expect(response.text == "ok")
        #expect(response.keepAlive)
      }
      #expect(server.connections == 1)
      let request = try #require(server.requests.last)
      #expect(request.hasPrefix("POST /v1/chat/completions HTTP/1.1\r\n"))
      #expect(request.contains("\r\nHost: 127.0.0.1:"))
      #expect(request.contains("\r\nContent-Length: 8\r\n"))
      #expect(request.hasSuffix("\r\n\r\n{\"n\":19}"))
    }
  }

  /// Connections opened ahead are kept, and the requests after them take them: none opens another.
  @Test func connectionsOpenedAheadCarryTheRequestsAfter() async throws {
    try await Self.withServer({ _ in .reply(Self.ok) }) { client, target, server in
      await client.preconnect(to: target, count: 4)
      #expect(client.openIdleConnections(to: target) == 4)
      try await withThrowingTaskGroup(of: Int.self) { group in
        for i in 0..<4 { group.addTask { try await Self.send(client, target, #"{"n":\#(i)}"#).status } }
        for try await status in group { #expect(status == 200) }
      }
      #expect(server.connections == 4)
      #expect(client.openIdleConnections(to: target) == 4)
    }
  }

  /// Runs `body` with a client on an event loop of its own, first held up for `held` (connects cannot finish
  /// sooner), and a scripted server; shuts all down.
  static func withHeldLoop(
    for held: Duration, _ body: (PlainHTTPClient, PlainHTTPClient.Target, ScriptedHTTPServer) async throws -> Void
  ) async throws {
    let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let server = ScriptedHTTPServer { _ in .reply(Self.ok) }
    let port = try await server.start()
    let client = PlainHTTPClient(group: loop)
    let target = try #require(PlainHTTPClient.Target("http://127.0.0.1:\(port)/v1/chat/completions"))
    let microseconds = useconds_t(held.components.seconds * 1_000_000 + held.components.attoseconds / 1_000_000_000_000)
    loop.next().execute { usleep(microseconds) }
    do {
      try await body(client, target, server)
    } catch {
      await client.shutdown()
      await server.stop()
      try? await loop.shutdownGracefully()
      throw error
    }
    await client.shutdown()
    await server.stop()
    try await loop.shutdownGracefully()
  }

  /// Requests that find no idle connection take the connections still being opened ahead (the client's loop is
  /// held up, so none is open when they start): none opens another.
  @Test func requestsTakeTheConnectionsStillBeingOpened() async throws {
    try await Self.withHeldLoop(for: .milliseconds(150)) { client, target, server in
      client.openAhead(to: target, count: 4)
      try await withThrowingTaskGroup(of: Int.self) { group in
        for i in 0..<4 { group.addTask { try await Self.send(client, target, #"{"n":\#(i)}"#).status } }
        for try await status in group { #expect(status == 200) }
      }
      #expect(server.connections == 4)
      #expect(client.openIdleConnections(to: target) == 4)
    }
  }

  /// A request cancelled while it waits for the connection it took leaves that connection for the next one.
  @Test func aCancelledRequestLeavesTheConnectionItTook() async throws {
    try await Self.withHeldLoop(for: .milliseconds(150)) { client, target, server in
      client.openAhead(to: target, count: 1)
      let request = Task { try await Self.send(client, target) }
      // Cancelled once it has taken the connection (the held loop cannot have opened it yet).
      let clock = ContinuousClock()
      let deadline = clock.now + .seconds(5)
      while client.connectionsBeingOpened(to: target) > 0, clock.now < deadline {
        try await Task.sleep(for: .milliseconds(1))
      }
      try #require(client.connectionsBeingOpened(to: target) == 0)
      request.cancel()
      await #expect(throws: CancellationError.self) { try await request.value }
      while client.openIdleConnections(to: target) == 0, clock.now < deadline {
        try await Task.sleep(for: .milliseconds(5))
      }
      #expect(client.openIdleConnections(to: target) == 1)
      #expect(try await Self.send(client, target).status == 200)
      #expect(server.connections == 1)
    }
  }

  /// A host name (not an address) is resolved and connected to.
  @Test func aHostNameIsResolved() async throws {
    try await Self.withServer({ _ in .reply(Self.ok) }) { client, target, server in
      let named = try #require(PlainHTTPClient.Target("http://localhost:\(target.port)/v1/chat/completions"))
      #expect(named.address == nil)
      let response = try await Self.send(client, named, "{}")
      #expect(response.status == 200 && response.text == "ok")
      #expect(server.connections == 1)
    }
  }

  @Test func concurrentRequestsEachGetAConnectionAndGiveItBack() async throws {
    try await Self.withServer({ _ in .reply(Self.ok) }) { client, target, server in
      for _ in 0..<3 {
        try await withThrowingTaskGroup(of: Int.self) { group in
          for _ in 0..<8 { group.addTask { try await Self.send(client, target).status } }
          for try await status in group { #expect(status == 200) }
        }
      }
      #expect(server.requests.count == 24)
      #expect((1...8).contains(server.connections), "\(server.connections) connections for 8 in flight")
    }
  }

  @Test func chunkedAndCloseDelimitedBodiesAreReadWhole() async throws {
    let replies = [
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n",
      "HTTP/1.0 200 OK\r\n\r\nuntil the end",
    ]
    try await Self.withServer({ n in
      n == 0 ? .reply(replies[0]) : .replyAndClose(replies[min(n, 1)])
    }) { client, target, server in
      let chunked = try await Self.send(client, target)
      #expect(chunked.text == "abcdefg")
      #expect(chunked.keepAlive)
      let delimited = try await Self.send(client, target)
      #expect(delimited.text == "until the end")
      #expect(!delimited.keepAlive)
      // The closed connection is not used again.
      #expect(try await Self.send(client, target).text == "until the end")
      #expect(server.connections == 2)
    }
  }

  /// (The client sees the close while the connection is idle; a request written as the server closes fails, as with
  /// async-http-client, and is the runner's to retry.)
  @Test func aConnectionTheServerClosedWhileIdleIsNotReused() async throws {
    try await Self.withServer({ _ in .replyAndClose("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") }) {
      (client, target, server) async throws in
      #expect(try await Self.send(client, target).text == "ok")
      // Back in the pool, then seen closed (however long a loaded machine takes to read the close).
      let seenClosed = await Self.eventually { client.openIdleConnections(to: target) == 0 }
      #expect(seenClosed)
      #expect(try await Self.send(client, target).text == "ok")
      #expect(server.connections == 2)
    }
  }

  @Test func anInterimResponseIsSkipped() async throws {
    try await Self.withServer({ _ in .reply("HTTP/1.1 100 Continue\r\n\r\n" + Self.ok) }) { client, target, _ in
      let response = try await Self.send(client, target)
      #expect(response.status == 200)
      #expect(response.text == "ok")
    }
  }

  @Test func errorStatusesAndTheirHeadersComeBackAsResponses() async throws {
    let limited = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Length: 4\r\n\r\nslow"
    try await Self.withServer({ _ in .reply(limited) }) { client, target, _ in
      let response = try await Self.send(client, target)
      #expect(response.status == 429)
      #expect(response.headers["Retry-After"] == ["3"])
      #expect(response.text == "slow")
    }
  }

  @Test func aBodyCutShortIsTruncated() async throws {
    try await Self.withServer({ _ in .replyAndClose("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\":") }) {
      client, target, _ in
      let failed = try #require(await Self.failure { try await Self.send(client, target) })
      #expect(failed.phase == .body)
      #expect(failed.error.kind == .truncated, "\(failed.error)")
    }
  }

  @Test func aCloseBeforeAnyResponseIsAConnectionError() async throws {
    try await Self.withServer({ _ in .replyAndClose("") }) { client, target, _ in
      let failed = try #require(await Self.failure { try await Self.send(client, target) })
      #expect(failed.phase == .connect)
      #expect(failed.error.kind == .connection, "\(failed.error)")
    }
  }

  @Test func aBodyPastTheLimitFailsAndClosesTheConnection() async throws {
    try await Self.withServer({ _ in .reply("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n01234567890123456789") }) {
      client, target, server in
      let failed = try #require(await Self.failure { try await Self.send(client, target, limit: 10) })
      #expect(failed.phase == .body)
      #expect(failed.error.kind == .truncated, "\(failed.error)")
      #expect(try await Self.send(client, target).text == "01234567890123456789")
      #expect(server.connections == 2)
      #expect(await Self.eventually { server.closed == 1 }, "the failed connection is closed")
    }
  }

  @Test func aBodyThatStopsComingEndsAtTheDeadline() async throws {
    // On an embedded loop, whose clock only moves when told: a loaded machine cannot move the deadline before the
    // head (the loopback tests' deadlines start when the call does).
    let (channel, reader) = try await Self.embeddedReader()
    let promise = channel.eventLoop.makePromise(of: PlainHTTPClient.Response.self)
    reader.start(try Self.request(), limit: 1 << 20, deadline: .uptimeNanoseconds(200_000_000), promise: promise)
    try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\":"))
    channel.embeddedEventLoop.advanceTime(by: .milliseconds(100))
    #expect(channel.isActive)
    channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
    let failed = try #require(await Self.failure { try await promise.futureResult.get() })
    #expect(failed.phase == .body)
    #expect(failed.error.kind == .timeout, "\(failed.error)")
    #expect(!channel.isActive)
  }

  @Test func connectionCloseIsHonouredWhenTheServerLeavesItOpen() async throws {
    let closing = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
    try await Self.withServer({ _ in .reply(closing) }) { client, target, server in
      let first = try await Self.send(client, target)
      #expect(first.text == "ok")
      #expect(!first.keepAlive)
      #expect(try await Self.send(client, target).text == "ok")
      #expect(server.connections == 2)
    }
  }

  @Test func theHeadersNameOneHostAndTheBodysOwnLength() throws {
    let target = try #require(PlainHTTPClient.Target("http://10.0.0.7:8000/v1/chat/completions"))
    let headers = HTTPHeaders([
      ("Host", "models.internal"), ("Content-Length", "999"), ("Transfer-Encoding", "chunked"),
    ])
    let request = PlainHTTPClient.Request(.POST, target, headers: headers, body: ByteBuffer(string: "{}"))
    #expect(request.head.headers["Host"] == ["models.internal"])
    #expect(request.head.headers["Content-Length"] == ["2"])
    #expect(request.head.headers["Transfer-Encoding"].isEmpty)
    let plain = PlainHTTPClient.Request(.POST, target, headers: HTTPHeaders(), body: ByteBuffer(string: "{}"))
    #expect(plain.head.headers["Host"] == ["10.0.0.7:8000"])
  }

  @Test func aCancelThatComesAfterItsExchangeEndedLeavesTheNextExchangeAlone() async throws {
    let (channel, reader) = try await Self.embeddedReader()
    let request = try Self.request()
    let exchange = { () -> EventLoopPromise<PlainHTTPClient.Response> in
      let promise = channel.eventLoop.makePromise(of: PlainHTTPClient.Response.self)
      reader.start(request, limit: 1 << 20, deadline: .distantFuture, promise: promise)
      return promise
    }
    let first = exchange()
    try channel.writeInbound(ByteBuffer(string: Self.ok))
    #expect(try await first.futureResult.get().text == "ok")
    let second = exchange()
    reader.cancel(first.futureResult)  // late: the first exchange is over
    #expect(channel.isActive)
    try channel.writeInbound(ByteBuffer(string: Self.ok))
    #expect(try await second.futureResult.get().text == "ok")
    let third = exchange()
    reader.cancel(third.futureResult)
    await #expect(throws: PlainHTTPFailure.self) { try await third.futureResult.get() }
    #expect(!channel.isActive)
  }

  @Test func theAPIKeyNeverReachesAnError() async throws {
    try await OpenAIChatProviderTests.withServer(environment: ["OPENAI_API_KEY": "sk-plain-secret-123456"]) {
      _, provider in
      try await FakeServerHarness.expectKeyRedactedFromAnEchoing401(provider, key: "sk-plain-secret-123456")
    }
  }

  @Test func silenceEndsAtTheDeadline() async throws {
    try await Self.withServer({ _ in .silent }) { client, target, _ in
      let started = ContinuousClock.now
      let failed = try #require(
        await Self.failure { try await Self.send(client, target, deadline: .milliseconds(200)) })
      #expect(failed.error.kind == .timeout, "\(failed.error)")
      // Generous: a full test run can hold the task pool for seconds; a hang would not end at all.
      #expect(ContinuousClock.now - started < .seconds(60))
    }
  }

  @Test func cancellingTheTaskEndsTheExchange() async throws {
    try await Self.withServer({ _ in .silent }) { client, target, _ in
      let started = ContinuousClock.now
      let outcome = await withTaskGroup(of: (phase: HTTPFailure.Phase, error: ProviderError)?.self) { group in
        group.addTask { await Self.failure { try await Self.send(client, target, deadline: .seconds(600)) } }
        try? await Task.sleep(for: .milliseconds(100))
        group.cancelAll()
        return await group.next() ?? nil
      }
      let failed = try #require(outcome)
      #expect(failed.error.kind == .cancelled, "\(failed.error)")
      #expect(ContinuousClock.now - started < .seconds(60))
    }
  }

  @Test func theChatProviderSendsPlainCallsThroughItAndLeavesRedirectsToAsyncHTTPClient() async throws {
    let fake = FakeOpenAIServer(configuration: FakeServerConfiguration())
    try await fake.start()
    let moved =
      "HTTP/1.1 307 Temporary Redirect\r\nLocation: \(fake.baseURL)/chat/completions\r\nContent-Length: 0\r\n\r\n"
    let server = ScriptedHTTPServer { _ in .reply(moved) }
    let port = try await server.start()
    let factory = ProviderFactory(environment: [:], concurrency: 2)
    let spec = ProviderSpec(
      id: "openai:chat:fake-model", label: "fake", config: ["apiBaseUrl": .string("http://127.0.0.1:\(port)/v1")],
      location: .init(file: "t.yaml", line: 1))
    let provider = try factory.make(spec)
    let answer = try await provider.complete(CompletionRequest(messages: [ChatMessage(role: "user", content: "hi")]))
    #expect(answer.text == "You said: hi")
    #expect(server.requests.count == 2, "the plain call, then async-http-client's own before it follows")
    #expect(fake.stats.chatRequests == 1)
    await factory.shutdown()
    await server.stop()
    await fake.stop()
  }

  @Test func nothingListeningIsARefusedConnection() async throws {
    let server = ScriptedHTTPServer { _ in .silent }
    let port = try await server.start()
    await server.stop()
    let client = PlainHTTPClient()
    let target = try #require(PlainHTTPClient.Target("http://127.0.0.1:\(port)/v1"))
    let failed = try #require(await Self.failure { try await Self.send(client, target) })
    #expect(failed.error.kind == .connection)
    #expect(failed.error.message.contains("refused"), "\(failed.error)")
    // Opening ahead fails quietly: nothing is kept, and the requests meet the failure themselves.
    await client.preconnect(to: target, count: 3)
    #expect(client.openIdleConnections(to: target) == 0)
    client.openAhead(to: target, count: 2)
    let taken = try #require(await Self.failure { try await Self.send(client, target) })
    #expect(taken.error.kind == .connection && taken.error.message.contains("refused"), "\(taken.error)")
    await client.shutdown()
  }
}
