import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The last handler of a ``PlainHTTPClient`` connection: sends one request at a time and reads its response
/// whole. Lives on the connection's event loop; every failure ends the exchange with a ``PlainHTTPFailure`` that
/// says whether the response had begun, and closes the connection.
final class PlainHTTPResponseReader: ChannelInboundHandler {
  typealias InboundIn = HTTPClientResponsePart

  private var context: ChannelHandlerContext?
  private var pending: EventLoopPromise<PlainHTTPClient.Response>?
  private var head: HTTPResponseHead?
  private var body = ByteBuffer()
  private var limit = 0
  private var timer: Scheduled<Void>?

  func handlerAdded(context: ChannelHandlerContext) { self.context = context }

  func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

  /// Sends `request` (its head, body and end in one flush: one write, where async-http-client flushed the head
  /// and the body apart) and completes `promise` with the response, or a failure by `deadline`.
  func start(
    _ request: PlainHTTPClient.Request, limit: Int, deadline: NIODeadline,
    promise: EventLoopPromise<PlainHTTPClient.Response>
  ) {
    guard pending == nil, let context, context.channel.isActive else {
      promise.fail(PlainHTTPFailure(phase: .connect, error: HTTPClientError.remoteConnectionClosed))
      return
    }
    pending = promise
    head = nil
    body.clear()
    self.limit = limit
    let exchange = promise.futureResult
    timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
      fail(HTTPClientError.deadlineExceeded, exchange: exchange)
    }
    context.write(NIOAny(HTTPClientRequestPart.head(request.head)), promise: nil)
    if request.body.readableBytes > 0 {
      context.write(NIOAny(HTTPClientRequestPart.body(.byteBuffer(request.body))), promise: nil)
    }
    let written = context.eventLoop.makePromise(of: Void.self)
    written.futureResult.assumeIsolated().whenFailure { [self] error in fail(error, exchange: exchange) }
    context.writeAndFlush(NIOAny(HTTPClientRequestPart.end(nil)), promise: written)
  }

  /// The caller's task was cancelled: `exchange` ends and the connection closes (its response is unread). Nothing
  /// happens once `exchange` is over: a cancel that comes as the response completes must not close the
  /// connection the next exchange already uses.
  func cancel(_ exchange: EventLoopFuture<PlainHTTPClient.Response>) {
    fail(HTTPClientError.cancelled, exchange: exchange)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard pending != nil else {
      // Bytes nobody asked for: the connection is not in a state to reuse.
      context.close(promise: nil)
      return
    }
    switch unwrapInboundIn(data) {
    case .head(let received):
      // Interim `1xx` responses never get here: NIO's decoder drops them (`PlainHTTPClientTests`).
      head = received
    case .body(var part):
      guard body.readableBytes + part.readableBytes <= limit else {
        fail(NIOTooManyBytesError(maxBytes: limit))
        return
      }
      body.writeBuffer(&part)
    case .end:
      guard let head, let promise = pending else { return }
      pending = nil
      timer?.cancel()
      timer = nil
      promise.succeed(
        PlainHTTPClient.Response(
          status: Int(head.status.code), headers: head.headers, body: body, keepAlive: head.isKeepAlive))
      body = ByteBuffer()
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    fail(HTTPClientError.remoteConnectionClosed)
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    // A body cut short by the server's close reaches here from the decoder before the close itself does.
    if let parse = error as? HTTPParserError, parse == .invalidEOFState {
      fail(HTTPClientError.remoteConnectionClosed)
    } else {
      fail(error)
    }
  }

  /// Ends `exchange` with `error` and closes the connection, if `exchange` is still the one in flight.
  private func fail(_ error: any Error, exchange: EventLoopFuture<PlainHTTPClient.Response>) {
    guard let pending, pending.futureResult === exchange else { return }
    fail(error)
  }

  /// Ends the exchange in flight (if any) with `error` and closes the connection.
  private func fail(_ error: any Error) {
    timer?.cancel()
    timer = nil
    if let promise = pending {
      pending = nil
      promise.fail(PlainHTTPFailure(phase: head == nil ? .connect : .body, error: error))
    }
    context?.close(promise: nil)
  }
}

/// A ``PlainHTTPClient`` exchange that failed: the transport's error, and whether the response had begun (for
/// ``HTTPFailure/classify(_:phase:url:)``).
public struct PlainHTTPFailure: Error {
  /// Whether the response had begun.
  public enum Phase: Sendable {
    /// Before any of the response came: connecting, sending, waiting.
    case connect
    /// While the body was read.
    case body
  }

  /// Whether the response had begun.
  public var phase: Phase
  /// The transport's error (async-http-client's `HTTPClientError` for a close, a deadline or a cancel).
  public var error: any Error
}
