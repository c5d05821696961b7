import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A loopback server that answers each request with bytes a test scripts, byte for byte, for the transport's own
/// tests: chunked and close-delimited bodies, interim responses, bodies cut short, silence, closes between
/// requests. Counts the connections it accepted and keeps the requests it read, as raw text.
final class ScriptedHTTPServer: Sendable {
  /// What the server does with one request.
  enum Action: Sendable {
    /// Writes the bytes and keeps the connection open.
    case reply(String)
    /// Writes the bytes and closes the connection.
    case replyAndClose(String)
    /// Says nothing, keeps the connection open.
    case silent
  }

  fileprivate struct State {
    var connections = 0
    var closed = 0
    var requests: [String] = []
  }

  fileprivate let state = NIOLockedValueBox(State())
  private let script: @Sendable (Int) -> Action
  private let channel: NIOLockedValueBox<(any Channel)?> = NIOLockedValueBox(nil)

  /// A server answering the `n`th request it reads (from 0, over every connection) with `script(n)`.
  init(script: @escaping @Sendable (Int) -> Action) {
    self.script = script
  }

  /// The connections accepted so far.
  var connections: Int { state.withLockedValue { $0.connections } }
  /// The connections closed so far (by either side).
  var closed: Int { state.withLockedValue { $0.closed } }
  /// The requests read so far, head and body as sent.
  var requests: [String] { state.withLockedValue { $0.requests } }

  /// Starts listening on a free loopback port; returns the port.
  func start() async throws -> Int {
    let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { [self] channel in
        state.withLockedValue { $0.connections += 1 }
        return channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(Connection(server: self))
        }
      }
    let listening = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
    channel.withLockedValue { $0 = listening }
    return listening.localAddress?.port ?? 0
  }

  /// Stops listening.
  func stop() async {
    let listening = channel.withLockedValue { $0 }
    try? await listening?.close()
  }

  /// Notes a whole request and says what to do with it.
  fileprivate func received(_ request: String) -> Action {
    let n = state.withLockedValue { s -> Int in
      s.requests.append(request)
      return s.requests.count - 1
    }
    return script(n)
  }

  /// Reads requests (a head, then `Content-Length` bytes of body) and acts on each.
  private final class Connection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let server: ScriptedHTTPServer
    var pending = ""

    init(server: ScriptedHTTPServer) { self.server = server }

    func channelInactive(context: ChannelHandlerContext) {
      server.state.withLockedValue { $0.closed += 1 }
      context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      var bytes = unwrapInboundIn(data)
      pending += bytes.readString(length: bytes.readableBytes) ?? ""
      while let end = pending.range(of: "\r\n\r\n") {
        let head = pending[..<end.lowerBound]
        let length =
          head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
          .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        let whole = pending.utf8.distance(from: pending.startIndex, to: end.upperBound) + length
        guard pending.utf8.count >= whole else { return }
        let bytes = Array(pending.utf8)
        let request = String(decoding: bytes[..<whole], as: UTF8.self)
        pending = String(decoding: bytes[whole...], as: UTF8.self)
        switch server.received(request) {
        case .reply(let text):
          context.writeAndFlush(NIOAny(ByteBuffer(string: text)), promise: nil)
        case .replyAndClose(let text):
          context.writeAndFlush(NIOAny(ByteBuffer(string: text))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
          }
        case .silent:
          break
        }
      }
    }
  }
}
