import Synchronization

/// A clock that moves only when a test advances it: sleepers wake when ``advance(by:)`` passes their
/// deadline, or throw `CancellationError` when their task is cancelled. Lets a test drive timers (a ticker,
/// a grace period) step by step instead of waiting out real time.
///
/// Written here because the library for it, pointfreeco/swift-clocks (its `TestClock`), needs
/// swift-tools-version 6.4 in the version this machine carries (1.1.1), newer than its Swift 6.3.
public final class ManualClock: Clock, Sendable {
  /// A point on the clock: how far it has been advanced.
  public struct Instant: InstantProtocol {
    /// Time since the clock started.
    public var offset: Duration

    public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
    public func duration(to other: Instant) -> Duration { other.offset - offset }
    public static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
  }

  private struct Sleeper {
    var id: UInt64
    var deadline: Instant
    var continuation: CheckedContinuation<Void, any Error>
  }

  private struct State {
    var now = Instant(offset: .zero)
    var sleepers: [Sleeper] = []
    var nextID: UInt64 = 0
    var cancelled: Set<UInt64> = []
  }

  private let state = Mutex(State())

  /// A clock at zero.
  public init() {}

  public var now: Instant { state.withLock { $0.now } }
  public var minimumResolution: Duration { .zero }

  /// How many tasks are asleep on the clock.
  public var sleepers: Int { state.withLock { $0.sleepers.count } }

  public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
    let id = state.withLock { s -> UInt64 in
      s.nextID += 1
      return s.nextID
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        enum Now { case wait, wake, cancel }
        let now = state.withLock { s -> Now in
          if s.cancelled.remove(id) != nil { return .cancel }
          if deadline <= s.now { return .wake }
          s.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
          return .wait
        }
        switch now {
        case .wait: break
        case .wake: continuation.resume()
        case .cancel: continuation.resume(throwing: CancellationError())
        }
      }
    } onCancel: {
      let sleeper = state.withLock { s -> Sleeper? in
        guard let i = s.sleepers.firstIndex(where: { $0.id == id }) else {
          s.cancelled.insert(id)  // not asleep yet: it throws when it gets there
          return nil
        }
        return s.sleepers.remove(at: i)
      }
      sleeper?.continuation.resume(throwing: CancellationError())
    }
  }

  /// Moves the clock on by `duration` and wakes every sleeper whose deadline it passes.
  public func advance(by duration: Duration) {
    let due = state.withLock { s -> [Sleeper] in
      s.now = s.now.advanced(by: duration)
      let now = s.now
      let due = s.sleepers.filter { $0.deadline <= now }
      s.sleepers.removeAll { $0.deadline <= now }
      return due
    }
    for sleeper in due { sleeper.continuation.resume() }
  }

  /// Waits, in real time (at most `limit`), until at least `count` tasks are asleep on the clock; false
  /// when they never were.
  public func waitForSleepers(_ count: Int = 1, limit: Duration = .seconds(30)) async -> Bool {
    let end = ContinuousClock.now + limit
    while sleepers < count {
      guard ContinuousClock.now < end else { return false }
      try? await Task.sleep(for: .milliseconds(1))
    }
    return true
  }
}
