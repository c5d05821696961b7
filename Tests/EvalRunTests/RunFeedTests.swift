import EvalCore
import EvalTestSupport
import Foundation
import Synchronization
import Testing

@testable import EvalRun

/// The feed between the runner and the consumer: every event once, in the order sent, taken in batches; senders
/// held back while the consumer is `limit` events behind.
@Suite(.offThePool) struct RunFeedTests {
  /// Counts events sent.
  final class Sent: Sendable {
    let count = Atomic<Int>(0)
  }

  /// Records each `waiting` event's provider and how many events had been sent when it was handled.
  actor Heard: RunListener {
    var providers: [String] = []
    var aheadMost = 0
    let sent: Sent

    init(sent: Sent) { self.sent = sent }

    func waiting(for provider: String, duration: Duration) {
      aheadMost = max(aheadMost, sent.count.load(ordering: .relaxed) - providers.count)
      providers.append(provider)
    }
  }

  @Test func batchesHoldEveryEventOnceInOrderAndEndAfterFinish() async {
    let feed = RunFeed(limit: 1024, now: { Date(timeIntervalSince1970: 0) })
    for i in 0..<10 { await feed.waiting(for: "p\(i)", duration: .zero) }
    var seen: [String] = []
    let first = await feed.next()
    for case .waiting(let provider, _) in first { seen.append(provider) }
    #expect(seen == (0..<10).map { "p\($0)" })
    // More after a batch was taken, then the end: the rest comes, then an empty batch.
    await feed.waiting(for: "p10", duration: .zero)
    feed.finish()
    let last = await feed.next()
    #expect(last.count == 1)
    #expect(await feed.next().isEmpty)
  }

  @Test func aSenderWaitsWhileTheConsumerIsTheLimitBehind() async throws {
    let limit = 8
    let feed = RunFeed(limit: limit, now: { Date(timeIntervalSince1970: 0) })
    let sent = Sent()
    let heard = Heard(sent: sent)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let stream = ResultsStream(reporters: [], scratch: dir)
    async let consumed: Void = feed.consume(stream: stream, listener: heard)
    await withTaskGroup(of: Void.self) { group in
      group.addTask {
        for i in 0..<500 {
          await feed.waiting(for: "p\(i)", duration: .zero)
          sent.count.add(1, ordering: .relaxed)
        }
      }
    }
    feed.finish()
    await consumed
    #expect(await heard.providers == (0..<500).map { "p\($0)" })
    // Never more than the limit queued beside the batch being handled.
    #expect(await heard.aheadMost <= 2 * limit)
  }

  /// Records the size of each batch it hears at once.
  actor Batches: RunListener {
    var sizes: [Int] = []
    func heard(_ events: [RunEvent]) { sizes.append(events.count) }
  }

  @Test func theListenerHearsWhatWaitedInOneStep() async throws {
    let feed = RunFeed(limit: 1024, now: { Date(timeIntervalSince1970: 0) })
    // Sent before the consumer starts: all of it is waiting when it takes its first batch.
    for i in 0..<100 { await feed.waiting(for: "p\(i)", duration: .zero) }
    feed.finish()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let batches = Batches()
    await feed.consume(stream: ResultsStream(reporters: [], scratch: dir), listener: batches)
    #expect(await batches.sizes == [100])
  }

  @Test func aConsumerWaitingForEventsIsWokenBySendAndByFinish() async {
    let feed = RunFeed(now: { Date(timeIntervalSince1970: 0) })
    async let woken = feed.next()
    try? await Task.sleep(for: .milliseconds(20))
    await feed.waiting(for: "late", duration: .seconds(1))
    #expect(await woken.count == 1)
    async let ended = feed.next()
    try? await Task.sleep(for: .milliseconds(20))
    feed.finish()
    #expect(await ended.isEmpty)
  }
}
