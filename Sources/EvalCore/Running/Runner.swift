import DequeModule
import Foundation
import Synchronization

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
  /// Fails calls to a provider at once after repeated connection failures or timeouts.
  public var breaker: CircuitBreaker
  /// Prices by provider key, for cost per sample.
  public var prices: [String: Price] = [:]
  /// Spending limits.
  public var budget = Budget()
  /// Client-side pacing by provider key; a provider without one is only bound by `concurrency`.
  public var throttles: [String: Throttle] = [:]
  /// A call is presumed stuck, and gives its place in the window to the next one while it runs on to its
  /// timeout, after this multiple of the median successful call time …
  public var stallFactor: Double = 10
  /// … and after at least this long.
  public var stallFloor: Duration = .seconds(2)
  /// Removes credentials from every result before an observer or the caller sees it.
  public var redactor = Redactor()
  /// Waits out a backoff before a retry (injected by tests to make the order of events deterministic).
  public var backoff: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
  /// The models that answered the judge and embedding calls.
  public let graderModels = ModelLedger()
  /// Runs code assertions and transforms (the run's node and python3 workers); `nil` when the suites
  /// have none.
  public var code: (any CodeRunner)?
  /// Checks SQL syntax for `is-sql` (SQLite's parser, supplied by the CLI).
  public var sql: (any SQLSyntaxChecker)?
  /// The calls' timeouts and stall checks, on one clock timer.
  let deadlines = DeadlineTimer()

  /// Creates a runner.
  public init(
    concurrency: Int, timeout: Duration, retry: RetryPolicy = RetryPolicy(), breaker: CircuitBreaker? = nil
  ) {
    self.concurrency = max(1, concurrency)
    self.timeout = timeout
    self.retry = retry
    self.breaker = breaker ?? CircuitBreaker(concurrency: concurrency)
  }

  /// One sample to run: the case, its place in the run, which repeat.
  private struct Job: Sendable {
    var slot: Int
    var repeatIndex: Int
    var c: EvalCase
  }

  /// A case under way: its samples so far and how many are still to come.
  private struct Slot {
    var c: EvalCase
    var attempts: [AttemptResult] = []
    var remaining: Int
  }

  /// Runs every sample of every case.
  /// - Parameters:
  ///   - cases: the cases, in report order.
  ///   - providers: provider instances by ``ProviderSpec/key``.
  ///   - observer: told of each finished sample and case.
  ///   - shouldContinue: asked before each call; `false` stops calling (Ctrl-C).
  /// - Returns: one result per case, in input order.
  public func run(
    _ cases: [EvalCase], providers: [String: any Provider], observer: some RunObserver = SilentObserver(),
    shouldContinue: @escaping @Sendable () async -> Bool = { true }
  ) async -> [CaseResult] {
    // The cases of one ordered group run as one unit: the source gives them one after another, at the
    // place of the group's first case.
    var order: [ObjectIdentifier?] = []
    var members: [ObjectIdentifier: [Int]] = [:]
    var loose: [Int] = []
    for (i, c) in cases.enumerated() {
      if let group = c.sequence?.group {
        let key = ObjectIdentifier(group)
        if members[key] == nil { order.append(key) }
        members[key, default: []].append(i)
      } else {
        order.append(nil)
        loose.append(i)
      }
    }
    var nextLoose = loose.makeIterator()
    let dispatch = order.flatMap { key in key.map { members[$0] ?? [] } ?? [nextLoose.next()].compactMap { $0 } }
    var results = [CaseResult?](repeating: nil, count: cases.count)
    await stream(
      dispatch.lazy.map { cases[$0] }, providers: providers, observer: observer, shouldContinue: shouldContinue
    ) { slot, result in
      results[dispatch[slot]] = result
    }
    return results.enumerated().map { i, r in r ?? CaseResult(case: cases[i], attempts: []) }
  }

  /// Runs every sample of every case `cases` yields, taking the next case only when there is room for
  /// it (about twice `concurrency` cases under way), so only the cases under way are held: a million-case
  /// run needs no more memory than a thousand-case one. Each case's result goes to `finished` with its
  /// position in `cases`, in the order the cases end; every case gets one, including those not run
  /// because the run stopped (skipped, with the reason). `observer` hears of the cases that ran to the end.
  ///
  /// The cases of an ordered group (``CaseSequence``) must come one after another; they run in order in
  /// one task. Cases whose outputs are compared (`max-score`, `select-best`) are held until the end,
  /// when the comparison is made. `dispatched` is called once the first cases are handed to the tasks that
  /// call them (a task started after it runs after those).
  public func stream<Cases: Sequence<EvalCase>>(
    _ cases: Cases, providers: [String: any Provider], observer: some RunObserver = SilentObserver(),
    shouldContinue: @escaping @Sendable () async -> Bool = { true }, dispatched: () -> Void = {},
    finished: (Int, CaseResult) async -> Void
  ) async {
    var slots: [Int: Slot] = [:]
    var admitted = 0
    var source = cases.makeIterator()
    var lookahead: EvalCase?
    var queued = Deque<[Job]>()
    var compared: [(slot: Int, c: EvalCase, result: CaseResult, complete: Bool)] = []
    var stopped = false

    func admit(_ c: EvalCase) -> [Job] {
      let slot = admitted
      admitted += 1
      slots[slot] = Slot(c: c, remaining: c.repeatCount)
      return (0..<c.repeatCount).map { Job(slot: slot, repeatIndex: $0, c: c) }
    }
    // The next unit: one sample, or every sample of an ordered group's cases.
    func nextUnit() -> [Job]? {
      if let unit = queued.popFirst() { return unit }
      guard let c = lookahead ?? source.next() else { return nil }
      lookahead = nil
      let jobs = admit(c)
      guard let group = c.sequence?.group else {
        queued.append(contentsOf: jobs.dropFirst().map { [$0] })
        return jobs.isEmpty ? nextUnit() : [jobs[0]]
      }
      var unit = jobs
      while let more = source.next() {
        guard more.sequence?.group === group else {
          lookahead = more
          break
        }
        unit += admit(more)
      }
      return unit
    }

    // Model-graded assertions call their judges through the same breaker, pacing, timeout and retries.
    let judge: JudgeCall = { key, messages, sample in
      await self.judgeCall(key, messages, sample: sample, providers: providers)
    }
    let window = CallWindow(
      limit: concurrency, stallFactor: stallFactor, stallFloorSeconds: stallFloor.inSeconds)
    // Twice as many cases under way as calls in flight: a case waiting out a backoff holds no place in
    // the window, and the next case is already queued when a call ends.
    let underWay = 2 * concurrency
    let meter = SpendMeter(budget: budget)
    await withTaskGroup(of: [(Job, AttemptResult?)].self) { group in
      var started = 0

      func dispatch() -> Bool {
        guard !stopped, !window.isClosed, let unit = nextUnit() else { return false }
        group.addTask {
          var out: [(Job, AttemptResult?)] = []
          for job in unit {
            let result = await self.attempt(
              job.c, repeatIndex: job.repeatIndex, provider: providers[job.c.providerKey], window: window,
              meter: meter, observer: observer, shouldContinue: shouldContinue, judge: judge)
            out.append((job, result))
            if result == nil { break }
          }
          return out
        }
        started += 1
        return true
      }

      while started < underWay, dispatch() {}
      dispatched()
      while let batch = await group.next() {
        started -= 1
        for (job, result) in batch {
          guard let result, var slot = slots[job.slot] else {
            stopped = true  // never admitted: the window closed or the run was interrupted
            continue
          }
          slot.attempts.append(result)
          slot.remaining -= 1
          await observer.attemptFinished(redactor.redact(result), of: slot.c.id)
          guard slot.remaining == 0 else {
            slots[job.slot] = slot
            continue
          }
          slots[job.slot] = nil
          let done = Runner.result(of: slot.c, attempts: slot.attempts)
          // A case whose outputs are compared is finished once the comparison is made, below.
          if slot.c.comparisonGroup != nil {
            compared.append((job.slot, slot.c, done, true))
          } else {
            let redacted = redactor.redact(done)
            await observer.caseFinished(redacted)
            await finished(job.slot, redacted)
          }
        }
        while started < underWay, dispatch() {}
      }
    }

    // What did not run: the rest of the cases under way, then every case not yet taken.
    let reason = meter.reason ?? (stopped ? "run interrupted before this case ran" : nil)
    func skipped(_ slot: Int, _ s: Slot) async {
      var samples = s.attempts
      let done = Set(samples.map(\.index))
      for r in 0..<s.c.repeatCount where !done.contains(r) {
        samples.append(AttemptResult(index: r, outcome: .skipped, latencyMs: 0))
      }
      let result = Runner.result(of: s.c, attempts: samples, skipReason: reason)
      if s.c.comparisonGroup != nil {
        compared.append((slot, s.c, result, false))
      } else {
        await finished(slot, redactor.redact(result))
      }
    }
    for slot in slots.keys.sorted() { if let s = slots[slot] { await skipped(slot, s) } }
    slots = [:]
    queued = []
    while let c = lookahead ?? source.next() {
      lookahead = nil
      let slot = admitted
      admitted += 1
      await skipped(slot, Slot(c: c, remaining: c.repeatCount))
    }
    // `max-score` and `select-best`: decided now that every output of their tests is in.
    guard !compared.isEmpty else { return }
    compared.sort { $0.slot < $1.slot }
    let decided = await OutputComparison.apply(
      compared.map(\.result), group: { compared[$0].c.comparisonGroup }, judge: judge,
      specs: { compared[$0].c.plan.items.map(\.spec) })
    for (entry, result) in zip(compared, decided) {
      let redacted = redactor.redact(result)
      if entry.complete { await observer.caseFinished(redacted) }
      await finished(entry.slot, redacted)
    }
  }

  /// A case's result; an ordered case reports the messages it was sent when its turn came.
  static func result(of c: EvalCase, attempts: [AttemptResult], skipReason: String? = nil) -> CaseResult {
    var result = CaseResult(case: c, attempts: attempts, skipReason: skipReason)
    if let sent = c.sequence?.group.sentMessages(of: c.id) { result.messages = sent }
    return result
  }

  /// One sample: call with a timeout, then score. Each try waits for a place in `window` (when given)
  /// and gives it back before any backoff; `nil` when the window closed before the first try.
  ///
  /// The call and the scoring are functions of their own, never inlined: a task holds the async frame of every
  /// function it is in, and each of the 2 × C tasks under way (most of them waiting for a place in the window)
  /// held this one's 21.6 KB with both inlined. Waiting, a task now holds the frames of this function, ``answer``
  /// and ``tryOnce`` (with ``EvalCase``'s rare fields boxed, 17 KB), not the scoring's (docs/benchmarks.md,
  /// session 15).
  @inline(never)
  func attempt(
    _ c: EvalCase, repeatIndex: Int, provider: (any Provider)?, window: CallWindow? = nil, meter: SpendMeter? = nil,
    observer: (any RunObserver)? = nil, shouldContinue: @Sendable () async -> Bool = { true },
    judge: JudgeCall? = nil
  ) async -> AttemptResult? {
    guard let provider else {
      return AttemptResult(
        index: repeatIndex, outcome: .errored, latencyMs: 0,
        error: ProviderError(.configuration, "no provider '\(c.providerLabel)' configured"))
    }
    var c = c
    var request = c.request(repeatIndex: repeatIndex)
    if let sequence = c.sequence {
      // Rendered now, with what the earlier cases answered; looked up in the cache by its content, not its id.
      switch sequence.prepare(vars: c.vars) {
      case .success(let prepared):
        c.messages = prepared.messages
        request = CompletionRequest(messages: prepared.messages, vars: prepared.vars, repeatIndex: repeatIndex)
      case .failure(let error):
        return AttemptResult(index: repeatIndex, outcome: .errored, latencyMs: 0, error: error)
      }
    }
    guard
      let answer = await answer(
        c, request, provider: provider, window: window, meter: meter, observer: observer,
        shouldContinue: shouldContinue)
    else { return nil }
    switch answer.result {
    case .failure(let error):
      // A call cut short by an interrupt was not judged: it counts as skipped, not as an endpoint error.
      let outcome: Outcome = error.kind == .cancelled ? .skipped : .errored
      return AttemptResult(
        index: repeatIndex, outcome: outcome, latencyMs: answer.latencyMs, retries: answer.retries, error: error)
    case .success(let completion):
      return await scored(
        completion, of: c, repeatIndex: repeatIndex, latencyMs: answer.latencyMs, retries: answer.retries,
        judge: judge)
    }
  }

  /// The provider's answer to `request`, with the retries the policy allows within the case's deadline, how long
  /// the last try took and how many retries there were; `nil` when the window closed before the first try.
  @inline(never)
  func answer(
    _ c: EvalCase, _ request: CompletionRequest, provider: any Provider, window: CallWindow?, meter: SpendMeter?,
    observer: (any RunObserver)?, shouldContinue: @Sendable () async -> Bool
  ) async -> (result: Result<Completion, ProviderError>, latencyMs: Double, retries: Int)? {
    let clock = ContinuousClock()
    let caseStart = clock.now
    var retries = 0
    var start = clock.now
    func tryOnce() async -> Result<Completion, ProviderError>? {
      await self.tryOnce(
        c, request, provider: provider, window: window, meter: meter, observer: observer,
        shouldContinue: shouldContinue, started: &start)
    }

    // A fixed output (`providerOutput`) or a cached answer needs no call: no place in the window, no pacing,
    // no timeout.
    var first: Result<Completion, ProviderError>? =
      c.fixedOutput.map { .success(Completion(text: $0)) } ?? provider.knownAnswer(for: request).map { .success($0) }
    if first == nil { first = await tryOnce() }
    guard var result = first else { return nil }
    // Retry what the policy says is worth it, within the retry budget and the case's deadline.
    while case .failure(let error) = result, retry.shouldRetry(error), retries < retry.maxRetries, !Task.isCancelled {
      let wait = retry.delay(
        beforeRetry: retries, hint: error.retryAfterMs.map { .milliseconds(Int64($0)) }, unit: Double.random(in: 0..<1),
        elapsed: start.duration(to: clock.now))
      guard caseStart.duration(to: clock.now) + wait < retry.caseDeadline else { break }
      do { try await backoff(wait) } catch { break }
      guard let again = await tryOnce() else { break }
      retries += 1
      result = again
    }
    var latencyMs = start.duration(to: clock.now).inMilliseconds
    // A cached answer reports the latency the endpoint had when it was fetched.
    if case .success(let completion) = result, completion.cached == true, let recorded = completion.latencyMs {
      latencyMs = recorded
    }
    return (result, latencyMs, retries)
  }

  /// One try of `request` inside `window` (when given), `start` set to when the call began; `nil` when not admitted
  /// (the window closed, or the run stopped while it waited).
  @inline(never)
  func tryOnce(
    _ c: EvalCase, _ request: CompletionRequest, provider: any Provider, window: CallWindow?, meter: SpendMeter?,
    observer: (any RunObserver)?, shouldContinue: @Sendable () async -> Bool,
    started start: inout ContinuousClock.Instant
  ) async -> Result<Completion, ProviderError>? {
    let clock = ContinuousClock()
    start = clock.now
    guard let window else { return await guardedCall(provider, request, key: c.providerKey, observer: observer) }
    guard let ticket = await window.acquire() else { return nil }
    defer { window.release(ticket) }
    guard await shouldContinue() else {
      window.close()
      return nil
    }
    start = clock.now
    let stall = window.stallThreshold.map { Stall(after: $0, action: { window.stall(ticket) }) }
    let result = await guardedCall(provider, request, key: c.providerKey, observer: observer, stall: stall)
    if case .success(let completion) = result {
      window.record(seconds: start.duration(to: clock.now).inSeconds)
      // Counted before the place is given back, so a call past the budget never starts.
      if meter?.add(cost: prices[c.providerKey]?.cost(of: completion.usage), usage: completion.usage) != nil {
        window.close()
      }
    }
    return result
  }

  /// The sample of `c` that answered `completion`: transformed, scored by the case's plan (and its scoring
  /// function), errored when the transform or a grader failed.
  @inline(never)
  func scored(
    _ completion: Completion, of c: EvalCase, repeatIndex: Int, latencyMs: Double, retries: Int, judge: JudgeCall?
  ) async -> AttemptResult {
    var completion = completion
    let prompt = c.messages.last { $0.role == "user" }?.content
    if let transform = c.transform {
      switch await transformed(
        completion.text, by: transform, case: c, prompt: prompt, finishReason: completion.finishReason)
      {
      case .success(let text): completion.text = text
      case .failure(let error):
        // The model answered: a transform that failed is the check's failure, not the endpoint's.
        var failed = AttemptResult(
          index: repeatIndex, outcome: .errored, output: completion.text, finishReason: completion.finishReason,
          model: completion.model, latencyMs: latencyMs, retries: retries, usage: completion.usage,
          cost: prices[c.providerKey]?.cost(of: completion.usage), cached: completion.cached, error: error)
        failed.gradingFailed = true
        return failed
      }
    }
    c.sequence?.record(output: completion.text, messages: c.messages, caseID: c.id)
    var test: [String: JSONValue] = ["description": .string(c.title), "vars": .object(c.vars)]
    if !c.metadata.isEmpty { test["metadata"] = .object(c.metadata) }
    var input = AssertionInput(
      output: completion.text, finishReason: completion.finishReason, latencyMs: latencyMs, vars: c.vars,
      judge: judge, prompt: prompt, code: code, test: .object(test),
      cost: prices[c.providerKey]?.cost(of: completion.usage))
    if completion.structured == true, c.transform == nil { input.structuredOutput = JSONValue.parse(completion.text) }
    input.sql = sql
    var verdict = await Scorer.score(c.plan, input)
    if let function = c.scoringFunction {
      verdict = await ScoringFunction.apply(
        function, to: verdict, threshold: c.plan.threshold, tokens: completion.usage, code: code)
    }
    // A grader that could not judge (judge or embedding provider down, unusable reply) leaves the sample
    // errored, with the grader's failure as its error: never a pass or a failure of the model.
    let graderError = verdict.error.map { e in
      ProviderError(e.kind, "could not check the output: \(e.message)", status: e.status)
    }
    var attempt = AttemptResult(
      index: repeatIndex, outcome: graderError != nil ? .errored : verdict.pass ? .passed : .failed,
      output: completion.text,
      finishReason: completion.finishReason, model: completion.model, latencyMs: latencyMs, retries: retries,
      timeToFirstTokenMs: completion.timeToFirstTokenMs, usage: completion.usage,
      cost: prices[c.providerKey]?.cost(of: completion.usage), contextIDs: completion.contextIDs,
      cached: completion.cached,
      score: graderError == nil ? verdict.score : nil,
      assertions: verdict.results, error: graderError)
    attempt.gradingFailed = graderError == nil ? nil : true
    return attempt
  }

  /// The output as `transform` rewrites it, or why it could not be (no worker, the code threw or timed out).
  func transformed(
    _ output: String, by transform: TransformSpec, case c: EvalCase, prompt: String?, finishReason: String? = nil
  ) async -> Result<String, ProviderError> {
    guard let code else {
      return .failure(ProviderError(.configuration, "no \(transform.language.interpreter) worker runs the transform"))
    }
    let result = await code.call(
      transform.call(output: output, vars: c.vars, prompt: prompt, finishReason: finishReason))
    switch result.flatMap(TransformSpec.output(from:)) {
    case .success(let text): return .success(text)
    case .failure(let e):
      return .failure(ProviderError(e.kind, "transform at \(transform.location): \(e.message)"))
    }
  }

  /// A judge's reply: a cached answer, or calls through the breaker and throttle with the run's retry
  /// policy (outside the call window: the case already holds its place in the run).
  func judgeCall(
    _ key: String, _ messages: [ChatMessage], sample: Int = 0, providers: [String: any Provider]
  ) async -> Result<String, ProviderError> {
    guard let provider = providers[key] else {
      return .failure(ProviderError(.configuration, "no judge provider '\(key)' configured"))
    }
    let request = CompletionRequest(messages: messages, repeatIndex: sample)
    if let known = provider.knownAnswer(for: request) {
      graderModels.record(key: key, label: provider.label, model: known.model)
      return .success(known.text)
    }
    let clock = ContinuousClock()
    var start = clock.now
    var result = await guardedCall(provider, request, key: key)
    var retries = 0
    while case .failure(let error) = result, retry.shouldRetry(error), retries < retry.maxRetries, !Task.isCancelled {
      let wait = retry.delay(
        beforeRetry: retries, hint: error.retryAfterMs.map { .milliseconds(Int64($0)) }, unit: Double.random(in: 0..<1),
        elapsed: start.duration(to: clock.now))
      do { try await backoff(wait) } catch { break }
      start = clock.now
      result = await guardedCall(provider, request, key: key)
      retries += 1
    }
    if case .success(let completion) = result {
      graderModels.record(key: key, label: provider.label, model: completion.model)
    }
    return result.map(\.text)
  }

  /// One try through the provider's circuit breaker and throttle.
  func guardedCall(
    _ provider: any Provider, _ request: CompletionRequest, key: String, observer: (any RunObserver)? = nil,
    stall: Stall? = nil
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
    // A stuck call stops counting against the provider's adaptive limit too.
    let stalled = Flag()
    let started = ContinuousClock.now
    let result = await call(
      provider, request, key: key,
      stall: stall.map { s in
        Stall(after: s.after) {
          await s.action()
          stalled.set()
          await throttle?.stalled()
        }
      })
    if let throttle {
      let usage = try? result.get().usage
      await throttle.finish(
        stalled: stalled.isSet, rateLimited: result.error?.kind == .rateLimited, estimatedTokens: estimate,
        actualTokens: usage.flatMap { u in u.totalTokens ?? u.promptTokens.map { $0 + (u.completionTokens ?? 0) } })
    }
    await breaker.record(result, for: key, label: provider.label, startedAt: started)
    return result
  }

  /// What to do when a call runs suspiciously long (see ``CallWindow/stall(_:)``).
  struct Stall: Sendable {
    var after: Duration
    var action: @Sendable () async -> Void
  }

  /// Set once, read after the call's child tasks have ended.
  final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .sequentiallyConsistent) }
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
  }

  /// Races the call against the timeout and against the provider's circuit breaker opening; the losers are
  /// cancelled. When `stall` is given and comes before the timeout, its action runs at that point and the
  /// call goes on.
  func call(
    _ provider: any Provider, _ request: CompletionRequest, key: String? = nil, stall: Stall? = nil
  ) async -> Result<Completion, ProviderError> {
    let timeout = self.timeout
    let breaker = self.breaker
    let deadlines = self.deadlines
    // The breaker opening ends the wait for the timeout (no task of its own per call: see ``DeadlineTimer``).
    let watch = key.map { DeadlineTimer.Watch(breaker: breaker, key: $0) }
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
        let start = ContinuousClock.now
        var wake: DeadlineTimer.Wake
        if let stall, stall.after < timeout {
          wake = await deadlines.sleep(until: start + stall.after, watching: watch)
          guard wake == .deadline else { return wake.breakerOpen.map { .failure($0) } }
          await stall.action()
          wake = await deadlines.sleep(until: .now + (timeout - stall.after), watching: watch)
        } else {
          wake = await deadlines.sleep(until: start + timeout, watching: watch)
        }
        return wake.breakerOpen.map { .failure($0) }
      }
      let first = await group.next() ?? nil
      group.cancelAll()
      if let first { return first }
      if Task.isCancelled { return .failure(ProviderError(.cancelled, "run interrupted during the call")) }
      return .failure(ProviderError(.timeout, "no response within \(Runner.describe(timeout))"))
    }
  }

  /// `30 s` or `500 ms`.
  public static func describe(_ d: Duration) -> String {
    let ms = d.inMilliseconds
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
