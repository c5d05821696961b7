import EvalCore
import Foundation

/// Runs a plan's cases against providers: the runner dispatches them (bounded by its concurrency), one
/// consumer task writes each finished case to results.jsonl and keeps it for the reports
/// (``ResultsStream``), a ticker on the injected clock paces the listener and watches for an interrupt:
/// then dispatching stops, calls in flight get ``grace``, and the rest are cancelled. The consumer is
/// never cancelled, so every case that finished reaches the file.
public struct RunExecutor<C: Clock>: Sendable where C.Duration == Duration {
  /// Dispatches the cases.
  public var runner: Runner
  /// Paces ticks and the grace period (a test clock in tests).
  public var clock: C
  /// How long calls in flight may go on after an interrupt before they are cancelled.
  public var grace: Duration
  /// How often the listener hears ``RunListener/tick()``.
  public var tick: Duration
  /// The wall time events are stamped with.
  public var now: @Sendable () -> Date

  /// An executor over `runner` on `clock`.
  public init(
    runner: Runner, clock: C, grace: Duration = .seconds(5), tick: Duration = .milliseconds(250),
    now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.runner = runner
    self.clock = clock
    self.grace = grace
    self.tick = tick
    self.now = now
  }

  /// Runs `cases`; `interrupted` is polled at each tick; `dispatched` is called once the first calls are
  /// under way (``Runner/stream(_:providers:observer:shouldContinue:dispatched:finished:)``). Returns every
  /// case's result (skipped ones included), in the order the cases ended.
  public func run(
    _ cases: CasePlan, providers: [String: any Provider], into stream: ResultsStream, listener: some RunListener,
    interrupted: @escaping @Sendable () -> Bool, dispatched: @escaping @Sendable () -> Void = {}
  ) async -> CaseList.Builder {
    let feed = RunFeed(now: now)
    async let drained: Void = feed.consume(stream: stream, listener: listener)
    await supervise(
      cases, providers: providers, feed: feed, listener: listener, interrupted: interrupted, dispatched: dispatched)
    feed.finish()
    await drained
    return await stream.takeResults()
  }

  private func supervise(
    _ cases: CasePlan, providers: [String: any Provider], feed: RunFeed, listener: some RunListener,
    interrupted: @escaping @Sendable () -> Bool, dispatched: @escaping @Sendable () -> Void
  ) async {
    let (runner, clock, tick, grace) = (runner, clock, tick, grace)
    await withTaskGroup(of: SupervisorEvent.self) { group in
      group.addTask {
        await runner.stream(
          cases, providers: providers, observer: feed, shouldContinue: { !interrupted() }, dispatched: dispatched
        ) { _, result in await feed.collect(result) }
        return .finished
      }
      group.addTask {
        while !Task.isCancelled {
          try? await clock.sleep(for: tick)
          await listener.tick()
          if interrupted() {
            await listener.interrupted(grace: grace)
            try? await clock.sleep(for: grace)
            return .gaveUp
          }
        }
        return .tick
      }
      while let event = await group.next() {
        switch event {
        case .finished, .gaveUp: group.cancelAll()
        case .tick: break
        }
      }
    }
  }
}

/// How a task of ``RunExecutor``'s group ended.
private enum SupervisorEvent: Sendable {
  /// The runner dispatched and finished every case it could.
  case finished
  /// The ticker stopped on cancellation.
  case tick
  /// The grace period after an interrupt ran out.
  case gaveUp
}
