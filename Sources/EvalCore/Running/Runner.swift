import Foundation

/// Runs cases against providers with exactly `concurrency` calls in flight while work remains, a
/// timeout per call, and every failure turned into a typed result. It never throws: an interrupted
/// run returns what finished, with the rest marked skipped.
public struct Runner: Sendable {
  /// Calls in flight at most.
  public var concurrency: Int
  /// Per-call timeout (each try has its own).
  public var timeout: Duration
  /// When to call again after a failure.
  public var retry: RetryPolicy
  /// Fails calls to a provider at once after repeated connection failures.
  public var breaker: CircuitBreaker
  /// Prices by provider key, for cost per sample.
  public var prices: [String: Price] = [:]
  /// Spending limits.
  public var budget = Budget()
  /// Client-side pacing by provider key; a provider without one is only bound by `concurrency`.
  public var throttles: [String: Throttle] = [:]

  /// Creates a runner.
  public init(
    concurrency: Int, timeout: Duration, retry: RetryPolicy = RetryPolicy(), breaker: CircuitBreaker = CircuitBreaker()
  ) {
    self.concurrency = max(1, concurrency)
    self.timeout = timeout
    self.retry = retry
    self.breaker = breaker
  }

  private struct Job: Sendable {
    var caseIndex: Int
    var repeatIndex: Int
  }

  /// Runs every sample of every case.
  /// - Parameters:
  ///   - cases: the cases, in report order.
  ///   - providers: provider instances by ``ProviderSpec/key``.
  ///   - observer: told of each finished sample and case.
  ///   - shouldContinue: asked before each dispatch; `false` stops dispatching (Ctrl-C).
  /// - Returns: one result per case, in input order.
  public func run(
    _ cases: [EvalCase], providers: [String: any Provider], observer: some RunObserver = SilentObserver(),
    shouldContinue: @escaping @Sendable () async -> Bool = { true }
  ) async -> [CaseResult] {
    var jobs: [Job] = []
    for (i, c) in cases.enumerated() {
      for r in 0..<c.repeatCount { jobs.append(Job(caseIndex: i, repeatIndex: r)) }
    }
    var attempts = [[AttemptResult]](repeating: [], count: cases.count)
    var remaining = cases.map(\.repeatCount)
    var stopped = false
    var stopReason: String?
    var spentCost = 0.0
    var spentTokens = 0

    await withTaskGroup(of: (Job, AttemptResult).self) { group in
      var next = jobs.makeIterator()
      var inFlight = 0

      func dispatch() async -> Bool {
        guard !stopped else { return false }
        if let reason = budget.exhausted(cost: spentCost, tokens: spentTokens) {
          stopped = true
          stopReason = reason
          return false
        }
        guard !Task.isCancelled, await shouldContinue() else {
          stopped = true
          return false
        }
        guard let job = next.next() else { return false }
        let c = cases[job.caseIndex]
        let provider = providers[c.providerKey]
        group.addTask {
          (job, await self.attempt(c, repeatIndex: job.repeatIndex, provider: provider, observer: observer))
        }
        inFlight += 1
        return true
      }

      while inFlight < concurrency, await dispatch() {}
      while let (job, result) = await group.next() {
        inFlight -= 1
        spentCost += result.cost ?? 0
        spentTokens += (result.usage?.promptTokens ?? 0) + (result.usage?.completionTokens ?? 0)
        // Refill the window first: bookkeeping and observers never delay the next call.
        while inFlight < concurrency, await dispatch() {}
        attempts[job.caseIndex].append(result)
        remaining[job.caseIndex] -= 1
        await observer.attemptFinished(result, of: cases[job.caseIndex].id)
        if remaining[job.caseIndex] == 0 {
          await observer.caseFinished(CaseResult(case: cases[job.caseIndex], attempts: attempts[job.caseIndex]))
        }
      }
    }

    return cases.enumerated().map { i, c in
      var samples = attempts[i]
      let done = Set(samples.map(\.index))
      for r in 0..<c.repeatCount where !done.contains(r) {
        samples.append(AttemptResult(index: r, outcome: .skipped, latencyMs: 0))
      }
      return CaseResult(
        case: c, attempts: samples,
        skipReason: stopReason ?? (stopped ? "run interrupted before this case ran" : nil))
    }
  }

  /// One sample: call with a timeout, then score.
  func attempt(
    _ c: EvalCase, repeatIndex: Int, provider: (any Provider)?, observer: (any RunObserver)? = nil
  ) async -> AttemptResult {
    guard let provider else {
      return AttemptResult(
        index: repeatIndex, outcome: .errored, latencyMs: 0,
        error: ProviderError(.configuration, "no provider '\(c.providerLabel)' configured"))
    }
    let clock = ContinuousClock()
    let caseStart = clock.now
    let request = c.request(repeatIndex: repeatIndex)
    var retries = 0
    var start = clock.now
    var result = await guardedCall(provider, request, key: c.providerKey, observer: observer)
    // Retry what the policy says is worth it, within the retry budget and the case's deadline.
    while case .failure(let error) = result, retry.shouldRetry(error), retries < retry.maxRetries, !Task.isCancelled {
      let wait = retry.delay(
        beforeRetry: retries, hint: error.retryAfterMs.map { .milliseconds(Int64($0)) }, unit: Double.random(in: 0..<1))
      guard caseStart.duration(to: clock.now) + wait < retry.caseDeadline else { break }
      do { try await Task.sleep(for: wait) } catch { break }
      retries += 1
      start = clock.now
      result = await guardedCall(provider, request, key: c.providerKey, observer: observer)
    }
    let latencyMs = Runner.milliseconds(start.duration(to: clock.now))
    switch result {
    case .failure(let error):
      // A call cut short by an interrupt was not judged: it counts as skipped, not as an endpoint error.
      let outcome: Outcome = error.kind == .cancelled ? .skipped : .errored
      return AttemptResult(index: repeatIndex, outcome: outcome, latencyMs: latencyMs, retries: retries, error: error)
    case .success(let completion):
      let input = AssertionInput(
        output: completion.text, finishReason: completion.finishReason, latencyMs: latencyMs, vars: c.vars)
      let verdict = await Scorer.score(c.plan, input)
      return AttemptResult(
        index: repeatIndex, outcome: verdict.pass ? .passed : .failed, output: completion.text,
        finishReason: completion.finishReason, model: completion.model, latencyMs: latencyMs, retries: retries,
        timeToFirstTokenMs: completion.timeToFirstTokenMs, usage: completion.usage,
        cost: prices[c.providerKey]?.cost(of: completion.usage), contextIDs: completion.contextIDs,
        cached: completion.cached,
        score: verdict.score,
        assertions: verdict.results)
    }
  }

  /// One try through the provider's circuit breaker and throttle.
  func guardedCall(
    _ provider: any Provider, _ request: CompletionRequest, key: String, observer: (any RunObserver)? = nil
  ) async -> Result<
    Completion, ProviderError
  > {
    if let open = await breaker.rejection(for: key) { return .failure(open) }
    let throttle = throttles[key]
    // A rough token estimate (4 characters a token) until the endpoint reports usage.
    let estimate = request.messages.reduce(0) { $0 + $1.content.utf8.count } / 4 + 1
    if let throttle {
      var waited = Duration.zero
      while case let wait = await throttle.reserve(tokens: estimate), wait > .zero {
        if waited == .zero || wait >= .seconds(1) { await observer?.waiting(for: provider.label, duration: wait) }
        do { try await Task.sleep(for: wait) } catch { return .failure(ProviderError(.cancelled, "run interrupted")) }
        waited += wait
      }
    }
    let result = await call(provider, request)
    if let throttle {
      let usage = try? result.get().usage
      await throttle.finish(
        rateLimited: result.error?.kind == .rateLimited, estimatedTokens: estimate,
        actualTokens: usage.flatMap { u in u.totalTokens ?? u.promptTokens.map { $0 + (u.completionTokens ?? 0) } })
    }
    await breaker.record(result, for: key, label: provider.label)
    return result
  }

  /// Races the call against the timeout; the loser is cancelled.
  func call(_ provider: any Provider, _ request: CompletionRequest) async -> Result<Completion, ProviderError> {
    let timeout = self.timeout
    return await withTaskGroup(of: Result<Completion, ProviderError>?.self) { group in
      group.addTask {
        do {
          return .success(try await provider.complete(request))
        } catch let error as ProviderError {
          return .failure(error)
        } catch is CancellationError {
          return .failure(ProviderError(.cancelled, "call cancelled"))
        } catch {
          return .failure(ProviderError(.other, String(describing: error)))
        }
      }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return nil
      }
      let first = await group.next() ?? nil
      group.cancelAll()
      if let first { return first }
      if Task.isCancelled { return .failure(ProviderError(.cancelled, "run interrupted during the call")) }
      return .failure(ProviderError(.timeout, "no response within \(Runner.describe(timeout))"))
    }
  }

  /// A duration in milliseconds.
  public static func milliseconds(_ d: Duration) -> Double {
    let (s, atto) = d.components
    return Double(s) * 1000 + Double(atto) / 1e15
  }

  /// `30 s` or `500 ms`.
  public static func describe(_ d: Duration) -> String {
    let ms = milliseconds(d)
    return ms >= 1000 && ms.truncatingRemainder(dividingBy: 1000) == 0 ? "\(Int(ms / 1000)) s" : "\(Int(ms)) ms"
  }
}

extension Result where Failure == ProviderError {
  /// The error, when this is a failure.
  var error: ProviderError? {
    if case .failure(let e) = self { return e }
    return nil
  }
}
