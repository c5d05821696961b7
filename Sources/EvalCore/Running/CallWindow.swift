import DequeModule
import Synchronization

/// Admission for model calls: at most `limit` calls make progress at once, waiters are admitted in
/// arrival order, and a case waiting out a retry backoff holds no place.
///
/// A call that runs far longer than its peers (see ``stallThreshold``) is presumed stuck: it keeps
/// running until its own timeout but gives its place to the next waiter, so a few hung connections
/// cannot starve the run. At most `limit` such stalled calls are open at once, so never more than
/// 2 × `limit` connections.
public final class CallWindow: Sendable {
  /// A place in the window, returned by ``acquire()``.
  public struct Ticket: Sendable, Hashable {
    fileprivate let id: UInt64
  }

  private struct Waiter {
    var id: UInt64
    var continuation: CheckedContinuation<Ticket?, Never>
  }

  private struct State {
    var active: Set<UInt64> = []
    var stalled: Set<UInt64> = []
    var waiters: Deque<Waiter> = []
    var cancelled: Set<UInt64> = []
    var nextID: UInt64 = 0
    var closed = false
    var recent: [Double] = []
    var recentNext = 0
    var recorded = 0
    var median: Double?
    var peakActive = 0
  }

  /// Calls that make progress at once, at most.
  public let limit: Int
  /// A call is presumed stuck after this many times the median successful call time …
  public let stallFactor: Double
  /// … but never before this many seconds.
  public let stallFloorSeconds: Double
  private let state = Mutex(State())

  /// Creates a window.
  /// - Parameters:
  ///   - limit: calls in progress at most.
  ///   - stallFactor: a call is presumed stuck after this multiple of the median call time.
  ///   - stallFloorSeconds: and after at least this many seconds.
  public init(limit: Int, stallFactor: Double = 10, stallFloorSeconds: Double = 2) {
    self.limit = max(1, limit)
    self.stallFactor = stallFactor
    self.stallFloorSeconds = stallFloorSeconds
  }

  /// Whether ``close()`` was called: no more calls are admitted.
  public var isClosed: Bool { state.withLock { $0.closed } }

  /// Tasks waiting for a place.
  public var waiting: Int { state.withLock { $0.waiters.count } }

  /// The most calls that were ever in progress at once (stalled ones not counted).
  public var peakActive: Int { state.withLock { $0.peakActive } }

  /// Waits for a place; `nil` when the window is closed or the task is cancelled while waiting.
  public func acquire() async -> Ticket? {
    let id = state.withLock { s -> UInt64 in
      s.nextID += 1
      return s.nextID
    }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Ticket?, Never>) in
        let admitted: Ticket?? = state.withLock { s in
          if s.closed || s.cancelled.remove(id) != nil { return .some(nil) }
          if s.active.count < limit, s.waiters.isEmpty {
            s.active.insert(id)
            s.peakActive = max(s.peakActive, s.active.count)
            return .some(Ticket(id: id))
          }
          s.waiters.append(Waiter(id: id, continuation: continuation))
          return .none
        }
        if let admitted { continuation.resume(returning: admitted) }
      }
    } onCancel: {
      let waiter = state.withLock { s -> Waiter? in
        if let i = s.waiters.firstIndex(where: { $0.id == id }) { return s.waiters.remove(at: i) }
        s.cancelled.insert(id)  // cancelled before it queued: refuse it when it arrives
        return nil
      }
      waiter?.continuation.resume(returning: nil)
    }
  }

  /// Gives the place back (a stalled call's extra place included). Releasing twice does nothing.
  public func release(_ ticket: Ticket) {
    let next = state.withLock { s -> (Waiter, Ticket)? in
      s.cancelled.remove(ticket.id)
      if s.stalled.remove(ticket.id) != nil { return nil }
      guard s.active.remove(ticket.id) != nil else { return nil }
      return admitNext(&s)
    }
    if let (waiter, ticket) = next { waiter.continuation.resume(returning: ticket) }
  }

  /// Marks a call as stuck: it gives its place to the next waiter, unless `limit` calls are stalled already.
  public func stall(_ ticket: Ticket) {
    let next = state.withLock { s -> (Waiter, Ticket)? in
      guard s.stalled.count < limit, s.active.remove(ticket.id) != nil else { return nil }
      s.stalled.insert(ticket.id)
      return admitNext(&s)
    }
    if let (waiter, ticket) = next { waiter.continuation.resume(returning: ticket) }
  }

  /// Admits no one any more; every waiter gets `nil`. Calls in progress run on.
  public func close() {
    let waiters = state.withLock { s -> Deque<Waiter> in
      s.closed = true
      defer { s.waiters.removeAll() }
      return s.waiters
    }
    for waiter in waiters { waiter.continuation.resume(returning: nil) }
  }

  /// Records how long a successful call took, for the stall threshold: the median of the last 255, taken again
  /// at each of the first 32 calls and then every 16th. (It was taken at every call until 255 had been recorded,
  /// a sort under the lock before the call's place was given back: at C = 64 it held up the next requests of the
  /// run's first rounds, docs/benchmarks.md session 18.)
  public func record(seconds: Double) {
    state.withLock { s in
      if s.recent.count < 255 {
        s.recent.append(seconds)
      } else {
        s.recent[s.recentNext] = seconds
        s.recentNext = (s.recentNext + 1) % s.recent.count
      }
      s.recorded += 1
      if s.recent.count >= 8, s.recent.count < 32 || s.recorded % 16 == 0 {
        let sorted = s.recent.sorted()
        s.median = sorted[sorted.count / 2]
      }
    }
  }

  /// How long a call may run before it is presumed stuck: `stallFactor` × the median successful call
  /// time, at least `stallFloorSeconds`; `nil` until 8 calls have succeeded (nothing to compare with).
  public var stallThreshold: Duration? {
    state.withLock { s in
      s.median.map { .milliseconds(Int64(max(stallFloorSeconds, $0 * stallFactor) * 1000)) }
    }
  }

  private func admitNext(_ s: inout State) -> (Waiter, Ticket)? {
    guard !s.closed, s.active.count < limit, let waiter = s.waiters.popFirst() else { return nil }
    s.active.insert(waiter.id)
    s.peakActive = max(s.peakActive, s.active.count)
    return (waiter, Ticket(id: waiter.id))
  }
}
