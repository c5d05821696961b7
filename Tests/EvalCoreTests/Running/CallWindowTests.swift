import EvalCore
import Synchronization
import Testing

/// Admission order, as the waiters saw it.
final class AdmissionLog: Sendable {
  let entries = Mutex<[Int]>([])
}

struct CallWindowTests {
  @Test func admitsUpToTheLimitThenInArrivalOrder() async throws {
    let window = CallWindow(limit: 2)
    let a = try #require(await window.acquire())
    let b = try #require(await window.acquire())
    let order = AdmissionLog()
    await withTaskGroup(of: Void.self) { group in
      for i in 0..<3 {
        group.addTask {
          guard let ticket = await window.acquire() else { return }
          order.entries.withLock { $0.append(i) }
          window.release(ticket)
        }
        // Each waiter queues before the next starts.
        while window.waiting < i + 1 { await Task.yield() }
      }
      #expect(order.entries.withLock { $0 }.isEmpty)
      window.release(a)  // one place: the waiters pass through it one after another
    }
    #expect(order.entries.withLock { $0 } == [0, 1, 2])
    #expect(window.peakActive == 2)
    window.release(a)  // a second release of the same ticket frees nothing
    let c = try #require(await window.acquire())  // the one free place
    async let d = window.acquire()
    for _ in 0..<1000 where window.waiting == 0 { await Task.yield() }
    #expect(window.waiting == 1)  // b and c hold both places
    window.release(b)
    #expect(await d != nil)
    window.release(c)
  }

  @Test func aStalledCallGivesItsPlaceButAtMostLimitAreStalled() async throws {
    let window = CallWindow(limit: 1)
    let first = try #require(await window.acquire())
    window.stall(first)
    let second = try #require(await window.acquire())  // admitted: the first is stalled
    window.stall(second)  // refused: one stalled call already
    async let third = window.acquire()
    while window.waiting < 1 { await Task.yield() }
    window.release(first)  // the stalled call ends: no place freed, the second still holds it
    #expect(window.waiting == 1)
    window.release(second)
    let admitted = await third
    #expect(admitted != nil)
  }

  @Test func closingWakesEveryWaiterWithNothing() async throws {
    let window = CallWindow(limit: 1)
    _ = try #require(await window.acquire())
    async let a = window.acquire()
    async let b = window.acquire()
    while window.waiting < 2 { await Task.yield() }
    window.close()
    let (x, y) = await (a, b)
    #expect(x == nil && y == nil)
    #expect(await window.acquire() == nil)
  }

  @Test func aCancelledWaiterLeavesTheQueue() async throws {
    let window = CallWindow(limit: 1)
    let held = try #require(await window.acquire())
    let got = await withTaskGroup(of: CallWindow.Ticket?.self) { group in
      group.addTask { await window.acquire() }
      while window.waiting < 1 { await Task.yield() }
      group.cancelAll()
      return await group.next() ?? nil
    }
    #expect(got == nil)
    #expect(window.waiting == 0)
    window.release(held)
    #expect(await window.acquire() != nil)
  }

  @Test func stallThresholdIsAMultipleOfTheMedianWithAFloor() {
    let window = CallWindow(limit: 4, stallFactor: 10, stallFloorSeconds: 2)
    for _ in 0..<7 { window.record(seconds: 0.5) }
    #expect(window.stallThreshold == nil)  // too few calls to judge
    window.record(seconds: 0.5)
    #expect(window.stallThreshold == .seconds(5))
    let fast = CallWindow(limit: 4, stallFactor: 10, stallFloorSeconds: 2)
    for _ in 0..<8 { fast.record(seconds: 0.01) }
    #expect(fast.stallThreshold == .seconds(2))
  }

  /// The median is taken again as calls go on (at each of the first 32, then every 16th), so the threshold
  /// follows an endpoint that slows down.
  @Test func stallThresholdFollowsTheCallsAsTheyGoOn() {
    let window = CallWindow(limit: 4, stallFactor: 10, stallFloorSeconds: 1)
    for _ in 0..<40 { window.record(seconds: 0.2) }
    #expect(window.stallThreshold == .seconds(2))
    for _ in 0..<200 { window.record(seconds: 1) }
    #expect(window.stallThreshold == .seconds(10))
    for _ in 0..<1_000 { window.record(seconds: 0.3) }
    #expect(window.stallThreshold == .seconds(3))
  }
}
