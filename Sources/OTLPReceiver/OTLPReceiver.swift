import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small OTLP/HTTP collector for tests, on loopback: it keeps every request (path, headers, body) and
/// answers with a set status, so tests decode what evalgate exported (`OTLPDecodedRequest`).
public final class OTLPReceiver: Sendable {
  /// One request as received.
  public struct Request: Sendable {
    /// The request path (`/v1/traces`).
    public var path: String
    /// Header names (lowercased) and values.
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]
  }

  private let state = NIOLockedValueBox<(requests: [Request], status: Int)>(([], 200))
  private let channel = NIOLockedValueBox<(any Channel)?>(nil)

  /// A receiver answering 200.
  public init() {}

  /// Binds to a free port on 127.0.0.1; returns the base URL (`http://127.0.0.1:PORT`).
  public func start() async throws -> String {
    let state = self.state
    let bound = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          try channel.pipeline.syncOperations.addHandler(Handler(state: state))
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    channel.withLockedValue { $0 = bound }
    return "http://127.0.0.1:\(bound.localAddress?.port ?? 0)"
  }

  /// The status every later request is answered with.
  public func answer(_ status: Int) { state.withLockedValue { $0.status = status } }

  /// The requests so far.
  public var requests: [Request] { state.withLockedValue { $0.requests } }

  /// Closes the listener.
  public func stop() async {
    let bound = channel.withLockedValue { value in
      defer { value = nil }
      return value
    }
    try? await bound?.close()
  }

  private final class Handler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let state: NIOLockedValueBox<(requests: [Request], status: Int)>
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(state: NIOLockedValueBox<(requests: [Request], status: Int)>) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      switch unwrapInboundIn(data) {
      case .head(let h):
        head = h
        body = []
      case .body(var buffer):
        body += buffer.readBytes(length: buffer.readableBytes) ?? []
      case .end:
        guard let head else { return }
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        let request = Request(path: head.uri, headers: headers, body: body)
        let status = state.withLockedValue { s in
          s.requests.append(request)
          return s.status
        }
        var responseHeaders = HTTPHeaders()
        responseHeaders.add(name: "Content-Type", value: "application/x-protobuf")
        responseHeaders.add(name: "Content-Length", value: "0")
        context.write(
          wrapOutboundOut(
            .head(
              HTTPResponseHead(
                version: head.version, status: HTTPResponseStatus(statusCode: status), headers: responseHeaders))),
          promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        self.head = nil
      }
    }
  }
}
