import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A lean HTTP/1.1 client for plain `http://` endpoints (vLLM, llama.cpp, Ollama, LiteLLM and a team's own
/// servers on the local network): one request at a time per kept-alive connection, the whole response read into
/// one buffer. The chat provider's non-streaming calls go through it; TLS, streams and redirects stay with
/// async-http-client.
///
/// Written by hand because a benchmark at scale showed the client's cost decides evalgate's throughput:
/// async-http-client alone spends 0.14–0.22 ms of CPU a request against a fixed-reply nginx (flushing each
/// request's head and body apart, a state machine and an async body stream per request), capping it below
/// 10,000 requests/s on two cores; this client spends 0.064–0.087 ms and reaches 15,800–23,900 requests/s in the
/// same minutes (docs/benchmarks.md, session 20). Failures are async-http-client's errors (``PlainHTTPFailure``), so
/// ``HTTPFailure`` reads both clients' failures alike; like the other client it never retries (retries are the
/// runner's decision).
public final class PlainHTTPClient: Sendable {
  /// Where requests go: parsed once per provider.
  public struct Target: Sendable {
    /// The host name or address connected to.
    public var host: String
    /// The port connected to.
    public var port: Int
    /// The path and query sent in the request line.
    public var uri: String
    /// The `Host` header's value.
    public var hostHeader: String

    /// `url`'s target when it is a plain `http://` URL this client can send to (no user info, no fragment);
    /// `nil` for anything else, which async-http-client takes.
    public init?(_ url: String) {
      guard let parsed = URLComponents(string: url), parsed.scheme?.lowercased() == "http",
        let host = parsed.host, !host.isEmpty, parsed.user == nil, parsed.password == nil, parsed.fragment == nil
      else { return nil }
      let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
      self.host = bare
      port = parsed.port ?? 80
      let path = parsed.percentEncodedPath.isEmpty ? "/" : parsed.percentEncodedPath
      uri = path + (parsed.percentEncodedQuery.map { "?" + $0 } ?? "")
      let named = bare.contains(":") ? "[\(bare)]" : bare
      hostHeader = parsed.port.map { "\(named):\($0)" } ?? named
    }

    /// The pool's key: connections to one host and port are interchangeable.
    var key: String { "\(host):\(port)" }

    /// The host's address when it is an IPv4 or IPv6 address (nothing to resolve), else `nil`.
    var address: SocketAddress? { try? SocketAddress(ipAddress: host, port: port) }
  }

  /// One request: its head (with `Host` and `Content-Length`) and body.
  public struct Request: Sendable {
    /// The request line and headers.
    public var head: HTTPRequestHead
    /// The body sent.
    public var body: ByteBuffer

    /// A request to `target` with `headers`: `Host` added unless they name one, the framing (`Content-Length`)
    /// the body's own, as async-http-client sets them.
    public init(_ method: HTTPMethod, _ target: Target, headers: HTTPHeaders, body: ByteBuffer) {
      var headers = headers
      if !headers.contains(name: "Host") { headers.add(name: "Host", value: target.hostHeader) }
      headers.remove(name: "Transfer-Encoding")
      headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
      head = HTTPRequestHead(version: .http1_1, method: method, uri: target.uri, headers: headers)
      self.body = body
    }
  }

  /// A whole response.
  public struct Response: Sendable {
    /// The status code.
    public var status: Int
    /// The response's headers.
    public var headers: HTTPHeaders
    /// The whole body.
    public var body: ByteBuffer
    /// The server keeps the connection open for the next request.
    public var keepAlive: Bool

    /// The body as text.
    public var text: String { String(buffer: body) }
  }

  /// One kept-alive connection and its reader.
  private struct Connection: Sendable {
    var channel: any Channel
    var reader: NIOLoopBound<PlainHTTPResponseReader>
  }

  /// A connection being opened ahead (``openAhead(to:count:)``), which the first request to find no idle
  /// connection takes.
  private struct Opening: Sendable {
    let id: Int
    let connected: EventLoopFuture<Connection>
  }

  private struct Pool {
    var idle: [String: [Connection]] = [:]
    /// Connections being opened ahead that no request has taken yet, by key.
    var opening: [String: [Opening]] = [:]
    /// Openings numbered so far (each opening's id).
    var openings = 0
    var shutDown = false
  }

  private let group: any EventLoopGroup
  private let connectTimeout: TimeAmount
  private let pool = Mutex(Pool())

  /// A client on `group` (NIO's shared event loops by default), giving up on a connect after `connectTimeout`.
  public init(
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, connectTimeout: TimeAmount = .seconds(10)
  ) {
    self.group = group
    self.connectTimeout = connectTimeout
  }

  /// Sends `request` to `target` on an idle connection (or a new one) and reads the response whole, failing by
  /// `deadline`, when the body passes `maxBodyBytes`, or when the task is cancelled; every failure is a
  /// ``PlainHTTPFailure`` (or `CancellationError` before anything was sent).
  public func execute(_ request: Request, to target: Target, deadline: NIODeadline, maxBodyBytes: Int) async throws
    -> Response
  {
    try Task.checkCancellation()
    let connection = try await connection(to: target)
    guard !Task.isCancelled else {
      // Cancelled while connecting: nothing is sent; the connection stays good for the next call.
      release(connection, to: target)
      throw CancellationError()
    }
    let loop = connection.channel.eventLoop
    let promise = loop.makePromise(of: Response.self)
    loop.execute {
      connection.reader.value.start(request, limit: maxBodyBytes, deadline: deadline, promise: promise)
    }
    let exchange = promise.futureResult
    let response = try await withTaskCancellationHandler {
      try await exchange.get()
    } onCancel: {
      loop.execute { connection.reader.value.cancel(exchange) }
    }
    // A `101` stops the decoder: the connection cannot carry another exchange.
    if response.keepAlive, response.status >= 200, connection.channel.isActive {
      release(connection, to: target)
    } else {
      connection.channel.close(promise: nil)
    }
    return response
  }

  /// Closes every idle connection; connections in use close when their exchange ends.
  public func shutdown() async {
    let idle = pool.withLock { pool in
      pool.shutDown = true
      defer { pool.idle = [:] }
      return pool.idle.values.flatMap { $0 }
    }
    // Closed together and waited for once, not one after another (a hop to an event loop each).
    let closed = idle.map { $0.channel.close() }
    try? await EventLoopFuture.andAllComplete(closed, on: group.any()).get()
  }

  /// Starts opening `count` connections to `target` and returns at once: each is kept for the next requests once
  /// open, and a request that finds no idle connection takes one still being opened before it opens one of its own
  /// (so the first requests go out as their connections open, not once all of them have). A connection that
  /// fails is dropped, or fails the request that took it, as that request's own connect would have.
  public func openAhead(to target: Target, count: Int) {
    _ = startOpening(to: target, count: count)
  }

  /// Opens `count` connections to `target` at once (``openAhead(to:count:)``) and returns once each is open or
  /// failed (for tests: a run does not wait for them).
  func preconnect(to target: Target, count: Int) async {
    for connected in startOpening(to: target, count: count) { _ = try? await connected.get() }
  }

  /// Starts `count` connects to `target`, registered as openings for requests to take; each one no request took
  /// is kept as idle once open. Returns the connects' futures.
  private func startOpening(to target: Target, count: Int) -> [EventLoopFuture<Connection>] {
    guard count > 0 else { return [] }
    let key = target.key
    let ids = pool.withLock { pool -> Range<Int>? in
      guard !pool.shutDown else { return nil }
      defer { pool.openings += count }
      return pool.openings..<pool.openings + count
    }
    guard let ids else { return [] }
    let openings = ids.map { Opening(id: $0, connected: connect(to: target)) }
    // Registered before anything waits on them: one that connects at once is still kept.
    pool.withLock { $0.opening[key, default: []] += openings }
    for opening in openings {
      opening.connected.whenComplete { result in
        let untaken = self.pool.withLock { pool -> Bool in
          guard let index = pool.opening[key]?.firstIndex(where: { $0.id == opening.id }) else { return false }
          pool.opening[key]?.remove(at: index)
          return true
        }
        if untaken, case .success(let connection) = result { self.release(connection, to: target) }
      }
    }
    return openings.map(\.connected)
  }

  /// The connections to `target` being opened ahead that no request has taken yet (for tests).
  func connectionsBeingOpened(to target: Target) -> Int {
    pool.withLock { $0.opening[target.key]?.count ?? 0 }
  }

  /// The idle connections to `target` that are still open (for tests).
  func openIdleConnections(to target: Target) -> Int {
    pool.withLock { $0.idle[target.key]?.filter(\.channel.isActive).count ?? 0 }
  }

  /// An idle connection to `target` that is still open, else one being opened ahead, else a new one.
  private func connection(to target: Target) async throws -> Connection {
    let key = target.key
    while let idle = pool.withLock({ $0.idle[key]?.popLast() }) {
      if idle.channel.isActive { return idle }
      idle.channel.close(promise: nil)
    }
    let taken = pool.withLock { $0.opening[key]?.isEmpty == false ? $0.opening[key]?.removeFirst() : nil }
    return try await connected(taken?.connected ?? connect(to: target), to: target)
  }

  /// Starts a connect to `target`.
  private func connect(to target: Target) -> EventLoopFuture<Connection> {
    let bootstrap = ClientBootstrap(group: group)
      .connectTimeout(connectTimeout)
      .channelOption(.socketOption(.tcp_nodelay), value: 1)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHTTPClientHandlers()
          try channel.pipeline.syncOperations.addHandler(PlainHTTPResponseReader())
        }
      }
    // An address given as an IP (a local server, a sidecar) is connected to as it is: a host name goes through
    // NIO's resolver and its happy-eyeballs race, which at C = 64 held up the first round of calls.
    return (target.address.map { bootstrap.connect(to: $0) } ?? bootstrap.connect(host: target.host, port: target.port))
      .flatMapThrowing { channel in
        let reader = try channel.pipeline.syncOperations.handler(type: PlainHTTPResponseReader.self)
        return Connection(channel: channel, reader: NIOLoopBound(reader, eventLoop: channel.eventLoop))
      }
  }

  /// Waits for `connecting` (a request's connect, or one opened ahead that it took). A cancelled task stops
  /// waiting at once (NIO's connect itself runs on to its timeout); the connection made after that is kept for
  /// the next request.
  private func connected(_ connecting: EventLoopFuture<Connection>, to target: Target) async throws -> Connection {
    let waiting = connecting.eventLoop.makePromise(of: Connection.self)
    connecting.cascade(to: waiting)
    waiting.futureResult.whenFailure { _ in connecting.whenSuccess { self.release($0, to: target) } }
    do {
      return try await withTaskCancellationHandler {
        try await waiting.futureResult.get()
      } onCancel: {
        waiting.fail(CancellationError())
      }
    } catch ChannelError.connectTimeout {
      throw PlainHTTPFailure(phase: .connect, error: HTTPClientError.connectTimeout)
    } catch let error as CancellationError {
      throw error
    } catch {
      throw PlainHTTPFailure(phase: .connect, error: error)
    }
  }

  /// Keeps `connection` for the next request to `target` (or closes it once the client is shut down).
  private func release(_ connection: Connection, to target: Target) {
    let kept = pool.withLock { pool -> Bool in
      guard !pool.shutDown else { return false }
      pool.idle[target.key, default: []].append(connection)
      return true
    }
    if !kept { connection.channel.close(promise: nil) }
  }
}
