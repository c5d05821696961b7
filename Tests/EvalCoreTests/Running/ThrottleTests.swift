import EvalCore
import EvalTestSupport
import Foundation
import Synchronization
import Testing

@Suite(.offThePool) struct ThrottleTests {
  struct Quick: Provider {
    let label = "quick"
    func complete(_ request: CompletionRequest) async throws -> Completion {
      Completion(text: "ok", usage: Usage(promptTokens: 10, completionTokens: 10))
    }
  }

  @Test func requestsPerMinutePacesCalls() async throws {
    var runner = Runner(concurrency: 8, timeout: .seconds(10))
    runner.throttles = ["k": Throttle(limits: .init(requestsPerMinute: 600), maxConcurrency: 8)]  // 10/s
    let start = ContinuousClock.now
    let results = await runner.run(try RunnerTests.cases(16), providers: ["k": Quick()])
    let elapsed = ContinuousClock.now - start
    #expect(results.allSatisfy { $0.outcome == .passed })
    // 10 in the first second's budget, then 10 a second: 16 calls need about 0.6 s or more.
    #expect(elapsed >= .milliseconds(500), "\(elapsed)")
    #expect(elapsed < .seconds(300))  // a sanity bound, loose for a loaded CI machine
  }

  @Test func aStalledCallNoLongerCountsAgainstTheLimit() async {
    let throttle = Throttle(limits: .init(), maxConcurrency: 1)
    #expect(await throttle.reserve(tokens: 1) == .zero)
    #expect(await throttle.reserve(tokens: 1) > .zero)  // the one place is taken
    await throttle.stalled()
    #expect(await throttle.reserve(tokens: 1) == .zero)  // the stuck call gave it up
    await throttle.finish(stalled: true, rateLimited: false, estimatedTokens: 1, actualTokens: nil)
    #expect(await throttle.reserve(tokens: 1) > .zero)  // its end frees nothing twice
  }

  @Test func tokensPerMinutePacesCalls() async {
    let throttle = Throttle(limits: .init(tokensPerMinute: 6000), maxConcurrency: 4)  // 100 tokens/s
    #expect(await throttle.reserve(tokens: 100) == .zero)
    let wait = await throttle.reserve(tokens: 100)
    #expect(wait > .milliseconds(500) && wait <= .milliseconds(1100), "\(wait)")
  }

  @Test func rateLimitsShrinkConcurrencyAndSuccessesGrowItBack() async {
    let throttle = Throttle(limits: .init(), maxConcurrency: 8)
    #expect(await throttle.limit == 8)
    for _ in 0..<2 {
      _ = await throttle.reserve(tokens: 1)
      await throttle.finish(rateLimited: true, estimatedTokens: 1, actualTokens: nil)
    }
    #expect(await throttle.limit == 4)  // 8 → 6 → 4
    for _ in 0..<5 {
      _ = await throttle.reserve(tokens: 1)
      await throttle.finish(rateLimited: false, estimatedTokens: 1, actualTokens: nil)
    }
    #expect(await throttle.limit == 6)
  }

  @Test func aHalvedLimitBoundsCallsInFlight() async throws {
    final class Limited: Provider, @unchecked Sendable {
      let label = "limited"
      let calls = Atomic<Int>(0)
      let current = Atomic<Int>(0)
      let peakAfterCut = Atomic<Int>(0)
      func complete(_ request: CompletionRequest) async throws -> Completion {
        let n = calls.add(1, ordering: .relaxed).newValue
        let now = current.add(1, ordering: .relaxed).newValue
        defer { current.subtract(1, ordering: .relaxed) }
        if (9...20).contains(n) { _ = peakAfterCut.max(now, ordering: .relaxed) }
        try await Task.sleep(for: .milliseconds(5))
        if n <= 8 { throw ProviderError(.rateLimited, "HTTP 429", status: 429) }
        return Completion(text: "ok")
      }
    }
    let provider = Limited()
    var runner = Runner(concurrency: 8, timeout: .seconds(10), retry: .none)
    runner.throttles = ["k": Throttle(limits: .init(), maxConcurrency: 8)]
    _ = await runner.run(try RunnerTests.cases(60), providers: ["k": provider])
    #expect(provider.peakAfterCut.load(ordering: .relaxed) < 8)
  }
}
