import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Handles one connection's requests for ``FakeOpenAIServer``: turns each request into a ``FakeRequest``, asks
/// ``FakeEndpoint/respond(to:state:)`` what to do, and does it (waits, writes, streams, holds, resets).
final class FakeRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private let state: NIOLockedValueBox<FakeEndpoint.State>
  private var head: HTTPRequestHead?
  private var body = ByteBuffer()
  private var counted = false

  init(state: NIOLockedValueBox<FakeEndpoint.State>) {
    self.state = state
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let h):
      head = h
      body.clear()
    case .body(var chunk):
      body.writeBuffer(&chunk)
    case .end:
      guard let head else { return }
      self.head = nil
      // The latency counts from here, when the request is in. Its answer is made once the loop has taken in every
      // request that arrived with it: made here, in turn and under the shared state's lock, the 64 requests of a
      // burst waited for one another's JSON, and each answer came up to 5 ms late (docs/benchmarks.md, session 22).
      let arrived = NIODeadline.now()
      begin()
      let request = FakeRequest(
        method: head.method.rawValue, uri: head.uri, headers: head.headers.map { (name: $0.name, value: $0.value) },
        body: body.readString(length: body.readableBytes) ?? "")
      context.eventLoop.assumeIsolated().execute { [self] in
        answer(request, arrived: arrived, context: context)
      }
    }
  }

  /// Answers `request`, which came in at `arrived`, once its delay from then is over.
  private func answer(_ request: FakeRequest, arrived: NIODeadline, context: ChannelHandlerContext) {
    let response = state.withLockedValue { FakeEndpoint.respond(to: request, state: &$0) }
    guard response.delay > .zero else {
      perform(response.action, context: context)
      return
    }
    let (s, atto) = response.delay.components
    let nanos = s * 1_000_000_000 + atto / 1_000_000_000
    context.eventLoop.assumeIsolated().scheduleTask(deadline: arrived + .nanoseconds(nanos)) { [self] in
      perform(response.action, context: context)
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    finish()
    context.fireChannelInactive()
  }

  private func begin() {
    counted = true
    state.withLockedValue { s in
      s.stats.requests += 1
      s.stats.inFlight += 1
      s.stats.maxInFlight = max(s.stats.maxInFlight, s.stats.inFlight)
    }
  }

  private func finish() {
    guard counted else { return }
    counted = false
    state.withLockedValue { $0.stats.inFlight -= 1 }
  }

  private func perform(_ action: FakeResponse.Action, context: ChannelHandlerContext) {
    switch action {
    case .hang:
      break
    case .reset:
      finish()
      let channel = context.channel
      if let provider = channel as? any SocketOptionProvider {
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
      } else {
        channel.close(promise: nil)
      }
    case .send(let status, let fields, let body):
      var headers = HTTPHeaders()
      for field in fields { headers.add(name: field.name, value: field.value) }
      let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
      switch body {
      case .complete(let pieces):
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        for piece in pieces {
          context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: piece)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        finish()
      case .truncated(let text):
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
        finish()
        context.close(promise: nil)
      case .held(let drip):
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        if drip { self.drip(context) }
      }
    }
  }

  /// Sends one space a second until the channel closes.
  private func drip(_ context: ChannelHandlerContext) {
    context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { [self] in
      guard context.channel.isActive else { return }
      context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: " ")))), promise: nil)
      drip(context)
    }
  }
}
