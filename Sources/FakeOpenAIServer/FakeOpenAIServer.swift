import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// An OpenAI-compatible HTTP server on loopback for tests and benchmarks: `/v1/chat/completions`
/// (also `stream: true`), `/v1/embeddings`, `/v1/models`, plus `GET /_stats` and the other APIs that
/// ``FakeEndpoint`` answers. What it sends is decided by ``FakeEndpoint/respond(to:state:)``; its NIO
/// handler only reads requests and writes what that returns.
///
/// Replies derive from the prompt (see ``FakeReplies``). Faults come from the configuration's seeded
/// draw, or are forced per request with an `X-Fake-Fault: <mode>` header or a `[[fault:<mode>]]`
/// marker in the prompt. `[[latency:<ms>]]` overrides the latency for one request. A response is sent its latency
/// after its request came in, however long its answer took to make.
public final class FakeOpenAIServer: Sendable {
  let state: NIOLockedValueBox<State>
  private let channel: NIOLockedValueBox<(any Channel)?>

  typealias State = FakeEndpoint.State

  /// Creates a server (not yet listening).
  public init(configuration: FakeServerConfiguration = FakeServerConfiguration()) {
    state = NIOLockedValueBox(State(configuration: configuration))
    channel = NIOLockedValueBox(nil)
  }

  /// Starts listening on `host:port` (port 0 picks a free one) and returns the port.
  @discardableResult
  public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> Int {
    let state = self.state
    let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.backlog, value: 1024)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          try channel.pipeline.syncOperations.addHandler(FakeRequestHandler(state: state))
        }
      }
    let bound = try await bootstrap.bind(host: host, port: port).get()
    channel.withLockedValue { $0 = bound }
    return bound.localAddress?.port ?? port
  }

  /// The base URL clients use, ending in `/v1`.
  public var baseURL: String {
    let port = channel.withLockedValue { $0?.localAddress?.port } ?? 0
    return "http://127.0.0.1:\(port)/v1"
  }

  /// Returns when the listening socket closes (after ``stop()``).
  public func waitUntilClosed() async {
    let bound = channel.withLockedValue { $0 }
    try? await bound?.closeFuture.get()
  }

  /// Stops listening and closes open connections.
  public func stop() async {
    let bound = channel.withLockedValue { value in
      defer { value = nil }
      return value
    }
    try? await bound?.close()
  }

  /// A snapshot of the counters.
  public var stats: FakeServerStats { state.withLockedValue { $0.stats } }

  /// Chat requests received per last user message, so a test can tell which cases were called twice.
  public var requestsByPrompt: [String: Int] { state.withLockedValue { $0.byPrompt } }

  /// Replaces the configuration and zeroes the counters.
  public func reset(_ configuration: FakeServerConfiguration? = nil) {
    state.withLockedValue { s in
      if let configuration { s.configuration = configuration }
      s.stats = FakeServerStats()
      s.seen = [:]
      s.byPrompt = [:]
      s.hangsByPrompt = [:]
    }
  }
}
