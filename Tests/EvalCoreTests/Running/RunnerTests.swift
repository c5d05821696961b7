import EvalCore
import EvalTestSupport
import Foundation
import Synchronization
import Testing

/// A provider double at the `Provider` seam (the HTTP providers are tested against the fake server).
final class CountingProvider: Provider {
  let label = "counting"
  let delay: Duration
  let failEvery: Int?
  let current = Atomic<Int>(0)
  let peak = Atomic<Int>(0)
  let calls = Atomic<Int>(0)

  init(delay: Duration, failEvery: Int? = nil) {
    self.delay = delay
    self.failEvery = failEvery
  }

  func complete(_ request: CompletionRequest) async throws -> Completion {
    let n = current.add(1, ordering: .relaxed).newValue
    _ = peak.max(n, ordering: .relaxed)
    defer { current.subtract(1, ordering: .relaxed) }
    let call = calls.add(1, ordering: .relaxed).newValue
    try await Task.sleep(for: delay)
    if let failEvery, call % failEvery == 0 { throw ProviderError(.http, "HTTP 500", status: 500) }
    return Completion(text: "ok " + request.promptText, finishReason: "stop")
  }
}

struct HangingProvider: Provider {
  let label = "hang"
  func complete(_ request: CompletionRequest) async throws -> Completion {
    try await Task.sleep(for: .seconds(3600))
    return Completion(text: "never")
  }
}

@Suite(.offThePool) struct RunnerTests {
  static func cases(_ n: Int, repeats: Int = 1, assert: [AssertionSpec] = []) throws -> [EvalCase] {
    let plan = try ScoringPlan.build(assert, threshold: nil, registry: .standard)
    return (0..<n).map { i in
      EvalCase(
        id: CaseID(rawValue: String(format: "%016x", i)), suiteID: "s",
        location: EvalCore.SourceLocation(file: "s.yaml", line: i + 1),
        title: "case \(i)", promptLabel: "p", providerLabel: "counting", providerKey: "k", vars: [:],
        messages: [ChatMessage(role: "user", content: "q\(i)")], plan: plan, repeatCount: repeats)
    }
  }

  @Test func keepsExactlyCInFlightAndFinishesEveryCase() async throws {
    let provider = CountingProvider(delay: .milliseconds(20))
    let runner = Runner(concurrency: 7, timeout: .seconds(10))
    let results = await runner.run(try Self.cases(50), providers: ["k": provider])
    #expect(results.count == 50)
    #expect(results.allSatisfy { $0.outcome == .passed })
    #expect(provider.peak.load(ordering: .relaxed) == 7)
    #expect(provider.calls.load(ordering: .relaxed) == 50)
  }

  @Test func providerErrorsBecomeTypedResults() async throws {
    let provider = CountingProvider(delay: .milliseconds(1), failEvery: 3)
    let results = await Runner(concurrency: 4, timeout: .seconds(10), retry: .none).run(
      try Self.cases(30), providers: ["k": provider])
    let errored = results.filter { $0.outcome == .errored }
    #expect(errored.count == 10)
    #expect(errored.allSatisfy { $0.attempts[0].error?.typeName == "http_500" })
    #expect(results.filter { $0.outcome == .passed }.count == 20)
  }

  @Test func timeoutEndsAHungCall() async throws {
    let clock = ContinuousClock()
    let start = clock.now
    let results = await Runner(concurrency: 4, timeout: .milliseconds(100), retry: .none).run(
      try Self.cases(4), providers: ["k": HangingProvider()])
    // The provider never answers; finishing at all shows the timeout ended it. The bound is loose because
    // CPU-heavy tests running alongside can delay the timer (the order of events is what is tested).
    #expect(clock.now - start < .seconds(300))
    #expect(results.allSatisfy { $0.outcome == .errored && $0.attempts[0].error?.kind == .timeout })
  }

  @Test func retriesRecoverFromTransientErrors() async throws {
    /// Fails the first two tries of every third case, then answers.
    final class Flaky: Provider, @unchecked Sendable {
      let label = "flaky"
      let tries = Mutex<[String: Int]>([:])
      func complete(_ request: CompletionRequest) async throws -> Completion {
        let n = tries.withLock { counts in
          counts[request.caseID, default: 0] += 1
          return counts[request.caseID, default: 0]
        }
        let index = Int(request.caseID, radix: 16) ?? 0
        if index % 3 == 0, n <= 2 { throw ProviderError(.http, "HTTP 500", status: 500) }
        return Completion(text: "ok")
      }
    }
    let provider = Flaky()
    let policy = RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))
    let results = await Runner(concurrency: 4, timeout: .seconds(10), retry: policy).run(
      try Self.cases(30), providers: ["k": provider])
    #expect(results.allSatisfy { $0.outcome == .passed })
    #expect(results.map { $0.attempts[0].retries } == (0..<30).map { $0 % 3 == 0 ? 2 : 0 })
  }

  @Test func retriesStopAtTheBudgetAndKeepTheLastError() async throws {
    struct Down: Provider {
      let label = "down"
      func complete(_ request: CompletionRequest) async throws -> Completion {
        throw ProviderError(.http, "HTTP 503", status: 503)
      }
    }
    let policy = RetryPolicy(maxRetries: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))
    let results = await Runner(concurrency: 1, timeout: .seconds(1), retry: policy).run(
      try Self.cases(1), providers: ["k": Down()])
    #expect(results[0].outcome == .errored)
    #expect(results[0].attempts[0].retries == 2)
    #expect(results[0].attempts[0].error?.status == 503)
  }

  @Test func clientErrorsAreNotRetried() async throws {
    struct BadRequest: Provider {
      let label = "bad"
      func complete(_ request: CompletionRequest) async throws -> Completion {
        throw ProviderError(.http, "HTTP 400", status: 400)
      }
    }
    let results = await Runner(concurrency: 1, timeout: .seconds(1)).run(
      try Self.cases(1), providers: ["k": BadRequest()])
    #expect(results[0].attempts[0].retries == 0)
  }

  @Test func breakerOpensAfterConsecutiveConnectionFailures() async throws {
    final class Refused: Provider, @unchecked Sendable {
      let label = "down"
      let calls = Atomic<Int>(0)
      func complete(_ request: CompletionRequest) async throws -> Completion {
        calls.add(1, ordering: .relaxed)
        throw ProviderError(.connection, "http://x refused the connection")
      }
    }
    let provider = Refused()
    let policy = RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))
    let results = await Runner(
      concurrency: 1, timeout: .seconds(1), retry: policy, breaker: CircuitBreaker(threshold: 5)
    )
    .run(try Self.cases(50), providers: ["k": provider])
    #expect(results.allSatisfy { $0.outcome == .errored })
    #expect(provider.calls.load(ordering: .relaxed) == 5)
    #expect(results.last?.attempts[0].error?.kind == .unreachable)
    #expect(results.last?.attempts[0].error?.message.contains("refused the connection") == true)
    let report = RunReport(
      tool: .init(name: "t", version: "0"), startedAt: Date(), finishedAt: Date(), interrupted: false,
      settings: .init(concurrency: 1, timeoutMs: 1000), suites: [], cases: results, gate: Gate())
    #expect(report.gate.status == .couldNotEvaluate)
    #expect(
      report.gate.reason.hasPrefix("could not evaluate: down unreachable after 5 consecutive connection failures"))
  }

  @Test func aSuccessClosesTheBreaker() async {
    let breaker = CircuitBreaker(threshold: 2)
    let refused = Result<Completion, ProviderError>.failure(ProviderError(.connection, "refused"))
    await breaker.record(refused, for: "k", label: "p")
    await breaker.record(.success(Completion(text: "ok")), for: "k", label: "p")
    await breaker.record(refused, for: "k", label: "p")
    #expect(await breaker.rejection(for: "k") == nil)
    await breaker.record(refused, for: "k", label: "p")
    #expect(await breaker.rejection(for: "k")?.kind == .unreachable)
  }

  @Test func repeatsStayInsideOneCase() async throws {
    let provider = CountingProvider(delay: .milliseconds(1))
    let results = await Runner(concurrency: 3, timeout: .seconds(10)).run(
      try Self.cases(4, repeats: 3), providers: ["k": provider])
    #expect(results.count == 4)
    #expect(results.allSatisfy { $0.attempts.map(\.index) == [0, 1, 2] })
    #expect(provider.calls.load(ordering: .relaxed) == 12)
  }

  @Test func failedAssertionFailsTheCase() async throws {
    let spec = AssertionSpec(type: "contains", value: "q1", location: EvalCore.SourceLocation(file: "s.yaml"))
    let results = await Runner(concurrency: 2, timeout: .seconds(10)).run(
      try Self.cases(3, assert: [spec]), providers: ["k": CountingProvider(delay: .zero)])
    #expect(results.map(\.outcome) == [.failed, .passed, .failed])
  }

  @Test func stoppingDispatchSkipsTheRest() async throws {
    let provider = CountingProvider(delay: .milliseconds(5))
    let started = Atomic<Int>(0)
    let results = await Runner(concurrency: 2, timeout: .seconds(10)).run(
      try Self.cases(20), providers: ["k": provider]
    ) { started.add(1, ordering: .relaxed).newValue <= 6 }
    #expect(results.count == 20)
    #expect(results.filter { $0.outcome == .passed }.count == 6)
    #expect(results.filter { $0.outcome == .skipped }.count == 14)
    #expect(results.first { $0.outcome == .skipped }?.skipReason?.contains("interrupted") == true)
  }

  @Test func missingProviderIsAConfigurationError() async throws {
    let results = await Runner(concurrency: 2, timeout: .seconds(1)).run(try Self.cases(1), providers: [:])
    #expect(results[0].attempts[0].error?.kind == .configuration)
  }

  @Test func cancellationReturnsWhatFinished() async throws {
    let cases = try Self.cases(4)
    let provider = CountingProvider(delay: .seconds(3600))
    let task = Task {
      await Runner(concurrency: 2, timeout: .seconds(60)).run(cases, providers: ["k": provider])
    }
    // Cancel once both calls are in flight (the other two cases wait for a place); the deadline is long
    // because a loaded CI machine can take seconds to start them.
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(300)
    while provider.current.load(ordering: .relaxed) < 2, clock.now < deadline {
      try await Task.sleep(for: .milliseconds(5))
    }
    #expect(provider.current.load(ordering: .relaxed) == 2, "the calls never started")
    task.cancel()
    let results = await task.value
    #expect(results.count == 4)
    #expect(results.allSatisfy { $0.outcome == .skipped })
    #expect(results.contains { $0.attempts.first?.error?.kind == .cancelled })
  }
}

/// Window behaviour seen from the runner: backoffs and stuck calls hold no place.
@Suite(.offThePool) struct RunnerWindowTests {
  /// Logs the prompt of every call as it starts; prompts in `limitedOnce` fail their first try with a
  /// 1.5 s retry hint, and those in `hangOn` do not answer until `hangUntil` has been answered (or five
  /// minutes passed), then fail as a timeout would: an event, so a loaded machine cannot reorder them.
  final class Scripted: Provider, @unchecked Sendable {
    let label = "scripted"
    let log = Mutex<[String]>([])
    /// The prompts answered.
    let answered = Mutex<Set<String>>([])
    /// When the last call started.
    let lastStart = Mutex<ContinuousClock.Instant?>(nil)
    /// When a hanging call ended.
    let hangEnded = Mutex<ContinuousClock.Instant?>(nil)
    let hangOn: Set<String>
    let hangUntil: String?
    let limitedOnce: Set<String>
    init(hangOn: Set<String> = [], until: String? = nil, limitedOnce: Set<String> = []) {
      self.hangOn = hangOn
      self.hangUntil = until
      self.limitedOnce = limitedOnce
    }
    func complete(_ request: CompletionRequest) async throws -> Completion {
      let prompt = request.promptText
      lastStart.withLock { $0 = .now }
      let first = log.withLock { log in
        defer { log.append(prompt) }
        return !log.contains(prompt)
      }
      if hangOn.contains(prompt) {
        defer { hangEnded.withLock { $0 = .now } }
        let deadline = ContinuousClock.now + .seconds(300)
        while !answered.withLock({ $0.contains(hangUntil ?? "") }), ContinuousClock.now < deadline {
          try await Task.sleep(for: .milliseconds(5))
        }
        throw ProviderError(.timeout, "no response (scripted)")
      }
      if limitedOnce.contains(prompt), first {
        throw ProviderError(.rateLimited, "HTTP 429", status: 429, retryAfterMs: 1500)
      }
      try await Task.sleep(for: .milliseconds(5))
      answered.withLock { _ = $0.insert(prompt) }
      return Completion(text: "ok")
    }
  }

  @Test func aCaseInBackoffHoldsNoPlace() async throws {
    let provider = Scripted(limitedOnce: ["q0"])
    var runner = Runner(concurrency: 1, timeout: .seconds(60))
    // q0's backoff lasts until q3 has been called (or two minutes): were the place held during the backoff,
    // q1 could never start, and the order below would be broken. No wall-clock race on a loaded machine.
    runner.backoff = { _ in
      let deadline = ContinuousClock.now + .seconds(120)
      while !provider.log.withLock({ $0.contains("q3") }), ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(5))
      }
    }
    let results = await runner.run(try RunnerTests.cases(4), providers: ["k": provider])
    #expect(results.allSatisfy { $0.outcome == .passed })
    #expect(provider.log.withLock { $0 } == ["q0", "q1", "q2", "q3", "q0"])
  }

  @Test(arguments: [false, true]) func aStuckCallGivesItsPlaceToTheRest(throttled: Bool) async throws {
    // q10 answers only once q19 was answered: had its place not been given away when it stalled, q11 could
    // never start before q10 ended, and the order checked below would be broken.
    let provider = Scripted(hangOn: ["q10"], until: "q19")
    var runner = Runner(concurrency: 1, timeout: .seconds(600), retry: .none)
    runner.stallFloor = .milliseconds(100)
    // The provider's adaptive limit must let the stuck call go as well.
    if throttled { runner.throttles = ["k": Throttle(limits: .init(), maxConcurrency: 1)] }
    let results = await runner.run(try RunnerTests.cases(20), providers: ["k": provider])
    #expect(results[10].outcome == .errored && results[10].attempts[0].error?.kind == .timeout)
    #expect(results.enumerated().allSatisfy { $0.offset == 10 || $0.element.outcome == .passed })
    // Every later case was called while q10 hung, not after it ended.
    #expect(provider.log.withLock { $0 }.count == 20)
    let lastStart = try #require(provider.lastStart.withLock { $0 })
    let hangEnded = try #require(provider.hangEnded.withLock { $0 })
    #expect(lastStart < hangEnded, "q19 waited for q10 to end")
  }

  @Test func knownAnswersNeedNoPlaceInTheWindow() async throws {
    /// The order in which cases finished.
    actor Order: RunObserver {
      var ids: [CaseID] = []
      func attemptFinished(_ attempt: AttemptResult, of caseID: CaseID) async {}
      func caseFinished(_ result: CaseResult) async { ids.append(result.id) }
      func waiting(for provider: String, duration: Duration) async {}
    }
    /// Knows the answer for every case but the first, whose call holds the one place until the 49 others have
    /// finished (or five minutes passed): were they waiting for that place, they would finish after it.
    struct Cached: Provider {
      let label = "cached"
      let order: Order
      func complete(_ request: CompletionRequest) async throws -> Completion {
        let deadline = ContinuousClock.now + .seconds(300)
        while await order.ids.count < 49, ContinuousClock.now < deadline {
          try await Task.sleep(for: .milliseconds(5))
        }
        return Completion(text: "late")
      }
      func knownAnswer(for request: CompletionRequest) -> Completion? {
        request.promptText == "q0" ? nil : Completion(text: "ok")
      }
    }
    let order = Order()
    let cases = try RunnerTests.cases(50)
    let results = await Runner(concurrency: 1, timeout: .seconds(600), retry: .none).run(
      cases, providers: ["k": Cached(order: order)], observer: order)
    #expect(results.allSatisfy { $0.outcome == .passed })
    let finished = await order.ids
    #expect(finished.count == 50 && finished.last == cases[0].id)
  }
}
