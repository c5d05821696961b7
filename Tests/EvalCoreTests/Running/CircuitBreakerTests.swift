import EvalCore
import EvalTestSupport
import Foundation
import Synchronization
import Testing

@Suite(.offThePool) struct CircuitBreakerTests {
  static let timeout = Result<Completion, ProviderError>.failure(ProviderError(.timeout, "no response within 5 s"))

  @Test func timeoutsInARowOpenTheBreaker() async {
    let breaker = CircuitBreaker(threshold: 3)
    await breaker.record(.success(Completion(text: "ok")), for: "k", label: "p")
    for _ in 0..<2 { await breaker.record(Self.timeout, for: "k", label: "p") }
    #expect(await breaker.rejection(for: "k") == nil)
    await breaker.record(Self.timeout, for: "k", label: "p")
    let open = await breaker.rejection(for: "k")
    #expect(open?.kind == .unreachable)
    #expect(open?.message == "p unreachable: 3 calls in a row timed out (no response within 5 s)")
  }

  /// At the end of a run the calls left in flight are the hung ones; their timeouts come one after another
  /// with no answer in between, but each call began before answers that came later, so the endpoint is
  /// not down and their retries must still be sent (the fault benchmark's 1000/1000).
  @Test func aCallThatBeganBeforeTheLastAnswerDoesNotCountItsTimeout() async {
    let breaker = CircuitBreaker(threshold: 2)
    let early = ContinuousClock.now
    await breaker.record(.success(Completion(text: "ok")), for: "k", label: "p")
    for _ in 0..<5 { await breaker.record(Self.timeout, for: "k", label: "p", startedAt: early) }
    #expect(await breaker.rejection(for: "k") == nil)
    // Calls begun after that answer, all timing out: the endpoint stopped answering.
    for _ in 0..<2 { await breaker.record(Self.timeout, for: "k", label: "p", startedAt: .now) }
    #expect(await breaker.rejection(for: "k")?.kind == .unreachable)
  }

  @Test func aProviderThatNeverAnsweredIsJudgedAfterOneRoundOfTimeouts() async {
    let breaker = CircuitBreaker(threshold: 5, concurrency: 2)
    await breaker.record(Self.timeout, for: "k", label: "p")
    #expect(await breaker.rejection(for: "k") == nil)
    await breaker.record(Self.timeout, for: "k", label: "p")
    #expect(await breaker.rejection(for: "k")?.kind == .unreachable)
    // One that answered before keeps the full threshold.
    await breaker.record(.success(Completion(text: "ok")), for: "j", label: "q")
    for _ in 0..<4 { await breaker.record(Self.timeout, for: "j", label: "q") }
    #expect(await breaker.rejection(for: "j") == nil)
    // Connection failures are quick: they keep the full threshold even before a first answer.
    let refused = Result<Completion, ProviderError>.failure(ProviderError(.connection, "refused"))
    for _ in 0..<4 { await breaker.record(refused, for: "c", label: "r") }
    #expect(await breaker.rejection(for: "c") == nil)
  }

  @Test func waitersLearnWhenTheBreakerOpensAndCancelledOnesReturnNil() async {
    let breaker = CircuitBreaker(threshold: 1)
    async let opened = breaker.waitUntilOpen("k")
    let cancelled = Task { await breaker.waitUntilOpen("k") }
    cancelled.cancel()
    #expect(await cancelled.value == nil)
    try? await Task.sleep(for: .milliseconds(50))
    await breaker.record(Self.timeout, for: "k", label: "p")
    #expect(await opened?.kind == .unreachable)
    // After opening, a new waiter returns at once.
    #expect(await breaker.waitUntilOpen("k")?.kind == .unreachable)
  }

  /// A silent endpoint: every call hangs until cancelled. The run ends one timeout after it starts, not one
  /// timeout per round of calls or per retry.
  @Test func silentProviderCostsOneTimeoutWhateverTheCasesAndRetries() async throws {
    final class Silent: Provider {
      let label = "hang"
      let calls = Atomic<Int>(0)
      func complete(_ request: CompletionRequest) async throws -> Completion {
        calls.add(1, ordering: .relaxed)
        try await Task.sleep(for: .seconds(3600))
        return Completion(text: "never")
      }
    }
    let provider = Silent()
    let runner = Runner(
      concurrency: 4, timeout: .milliseconds(300),
      retry: RetryPolicy(maxRetries: 6, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)))
    let results = await runner.run(try RunnerTests.cases(60), providers: ["k": provider])
    #expect(results.allSatisfy { $0.outcome == .errored })
    // One round of calls, and the few retries that started before the breaker opened (they are cut short
    // when it opens); without timeouts counting, every case's 7 tries would be made: 420 calls.
    #expect(provider.calls.load(ordering: .relaxed) < 12, "\(provider.calls.load(ordering: .relaxed)) calls")
    let report = RunReport(
      tool: .init(name: "t", version: "0"), startedAt: Date(), finishedAt: Date(), interrupted: false,
      settings: .init(concurrency: 4, timeoutMs: 300), suites: [], cases: results, gate: Gate())
    #expect(report.gate.status == .couldNotEvaluate)
    #expect(report.gate.reason.hasPrefix("could not evaluate: hang unreachable: 4 calls in a row timed out"))
  }
}
