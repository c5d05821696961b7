import EvalTestSupport
import Synchronization
import Testing

@testable import EvalCore

/// The order sleepers woke in.
private final class WakeLog: Sendable {
  let entries = Mutex<[(Int, Bool, ContinuousClock.Instant)]>([])
}

@Suite(.offThePool) struct DeadlineTimerTests {
  @Test func sleepersWakeAtTheirDeadlinesInOrderWhateverOrderTheyCameIn() async {
    let timer = DeadlineTimer()
    let log = WakeLog()
    let start = ContinuousClock.now
    // Later deadlines first, then an earlier one: each new earliest deadline re-arms the clock.
    let delays = [300, 120, 200, 40, 40, 160]
    await withTaskGroup(of: Void.self) { group in
      for (i, ms) in delays.enumerated() {
        group.addTask {
          let passed = await timer.sleep(until: start + .milliseconds(ms))
          log.entries.withLock { $0.append((i, passed, .now)) }
        }
      }
    }
    let woke = log.entries.withLock { $0 }
    #expect(woke.count == delays.count)
    #expect(woke.allSatisfy { $0.1 })
    // (The order they woke in is not checked: on a loaded machine a sleeper may start after its deadline.)
    for (i, _, at) in woke {
      #expect(at >= start + .milliseconds(delays[i]), "sleeper \(i) woke early")
    }
    #expect(timer.sleeping == 0)
  }

  @Test func aCancelledSleeperWakesAtOnceWithFalse() async {
    let timer = DeadlineTimer()
    let sleeper = Task { await timer.sleep(until: .now + .seconds(60)) }
    while timer.sleeping == 0 { await Task.yield() }
    sleeper.cancel()
    #expect(await sleeper.value == false)  // `true` only after its 60 s
    #expect(timer.sleeping == 0)
    // Cancelled before it slept at all.
    let early = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return await timer.sleep(until: .now + .seconds(60))
    }
    #expect(await early.value == false)
  }

  @Test func aPastDeadlineReturnsAtOnce() async {
    let timer = DeadlineTimer()
    #expect(await timer.sleep(until: .now - .milliseconds(5)))
  }

  /// Many sleepers that leave early (calls that answer before their timeout), with deadlines before the one
  /// that stays, neither hold it up nor wake it early.
  @Test func sleepersThatLeaveDoNotDelayTheOthers() async {
    let timer = DeadlineTimer()
    let start = ContinuousClock.now
    let stayer = Task { await timer.sleep(until: start + .milliseconds(900)) }
    for _ in 0..<300 {
      let leaver = Task { await timer.sleep(until: start + .milliseconds(400)) }
      await Task.yield()
      leaver.cancel()
      _ = await leaver.value
    }
    #expect(await stayer.value)
    #expect(ContinuousClock.now >= start + .milliseconds(900))
    #expect(timer.sleeping == 0)
  }

  /// A sleeper watching a provider's breaker wakes when it opens, with its error; later ones return at once;
  /// other providers' sleepers sleep on.
  @Test func aWatchedBreakerOpeningWakesItsSleepers() async throws {
    let timer = DeadlineTimer()
    let breaker = CircuitBreaker(threshold: 1)
    let watched = DeadlineTimer.Watch(breaker: breaker, key: "p")
    let sleeper = Task { await timer.sleep(until: .now + .seconds(60), watching: watched) }
    let other = Task {
      await timer.sleep(until: .now + .seconds(60), watching: DeadlineTimer.Watch(breaker: breaker, key: "q"))
    }
    while timer.sleeping < 2 { await Task.yield() }
    await breaker.record(.failure(ProviderError(.connection, "refused")), for: "p", label: "P")
    let wake = await sleeper.value
    let error = try #require(wake.breakerOpen)
    #expect(error.kind == .unreachable)
    #expect(await timer.sleep(until: .now + .seconds(60), watching: watched) == .opened(error))
    #expect(timer.sleeping == 1)
    other.cancel()
    #expect(await other.value == .cancelled)
  }
}
