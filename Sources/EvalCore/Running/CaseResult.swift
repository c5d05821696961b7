import Foundation

/// How a case or a sample ended.
public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
  /// Every assertion held.
  case passed
  /// An assertion failed.
  case failed
  /// The endpoint failed (timeout, HTTP error, broken body): the case could not be judged.
  case errored
  /// The case did not run (interrupted, filtered).
  case skipped
}

/// One sample of a case: one call and its scoring.
public struct AttemptResult: Sendable, Hashable, Codable {
  /// Repeat index from 0.
  public var index: Int
  /// Outcome of this sample.
  public var outcome: Outcome
  /// The model output, when the call succeeded.
  public var output: String?
  /// The finish reason, when reported.
  public var finishReason: String?
  /// The answering model, when reported.
  public var model: String?
  /// Wall time of the answering call in milliseconds (earlier failed tries and waits not included).
  public var latencyMs: Double
  /// Tries that failed and were retried before this result.
  public var retries: Int
  /// Time to the first content token of a streamed answer, in milliseconds.
  public var timeToFirstTokenMs: Double?
  /// Completion tokens per second after the first token, for streamed answers that report usage.
  public var tokensPerSecond: Double?
  /// Token counts, when reported.
  public var usage: Usage?
  /// Cost in US dollars, when the price and the token counts are known.
  public var cost: Double?
  /// Document ids a RAG endpoint says it retrieved, in rank order.
  public var contextIDs: [String]?
  /// True when the answer came from the response cache.
  public var cached: Bool?
  /// Weighted score in 0…1 (absent on errors).
  public var score: Double?
  /// Assertion results.
  public var assertions: [AssertionResult]
  /// The provider error, when the call failed; or the grader's, when the model answered but a judge or
  /// embedding provider could not check the answer (``gradingFailed``).
  public var error: ProviderError?
  /// True when `error` is a grader's failure: the model answered (its output, latency and usage are real),
  /// but the answer could not be judged.
  public var gradingFailed: Bool?
  /// True when the model's endpoint itself answered this sample.
  public var answered: Bool { error == nil || gradingFailed == true }

  /// Creates an attempt result.
  public init(
    index: Int, outcome: Outcome, output: String? = nil, finishReason: String? = nil, model: String? = nil,
    latencyMs: Double, retries: Int = 0, timeToFirstTokenMs: Double? = nil, usage: Usage? = nil, cost: Double? = nil,
    contextIDs: [String]? = nil, cached: Bool? = nil,
    score: Double? = nil,
    assertions: [AssertionResult] = [],
    error: ProviderError? = nil
  ) {
    self.index = index
    self.outcome = outcome
    self.output = output
    self.finishReason = finishReason
    self.model = model
    self.latencyMs = latencyMs
    self.retries = retries
    self.timeToFirstTokenMs = timeToFirstTokenMs
    if let ttft = timeToFirstTokenMs, let tokens = usage?.completionTokens, latencyMs > ttft {
      tokensPerSecond = Double(tokens) / ((latencyMs - ttft) / 1000)
    }
    self.usage = usage
    self.cost = cost
    self.contextIDs = contextIDs
    self.cached = cached
    self.score = score
    self.assertions = assertions
    self.error = error
  }
}

/// The result of one case: its identity, and every sample taken.
public struct CaseResult: Sendable, Hashable, Codable {
  /// Stable id.
  public var id: CaseID
  /// Suite id.
  public var suite: String
  /// The file the test is defined in.
  public var file: String
  /// The line of the test, when known.
  public var line: Int?
  /// Readable name.
  public var title: String
  /// The test's explicit id.
  public var testID: String?
  /// Prompt label.
  public var prompt: String
  /// Provider label.
  public var provider: String
  /// Variables of this combination.
  public var vars: [String: JSONValue]
  /// Tags.
  public var tags: [String]
  /// Metadata.
  public var metadata: [String: JSONValue]
  /// The rendered messages sent.
  public var messages: [ChatMessage]
  /// The case outcome: failed if any sample failed, else errored if any errored, else passed;
  /// skipped when no sample ran.
  public var outcome: Outcome
  /// Mean score over scored samples.
  public var score: Double?
  /// Samples requested.
  public var repeatCount: Int
  /// Samples taken, by index.
  public var attempts: [AttemptResult]
  /// Why the case was skipped, when it was.
  public var skipReason: String?

  /// Creates a case result from a case and its samples.
  public init(case c: EvalCase, attempts: [AttemptResult], skipReason: String? = nil) {
    id = c.id
    suite = c.suiteID
    file = c.location.file
    line = c.location.line > 0 ? c.location.line : nil
    title = c.title
    testID = c.testID
    prompt = c.promptLabel
    provider = c.providerLabel
    vars = c.vars
    tags = c.tags
    metadata = c.metadata
    messages = c.messages
    repeatCount = c.repeatCount
    self.attempts = attempts.sorted { $0.index < $1.index }
    outcome = CaseResult.aggregate(attempts)
    let scores = attempts.compactMap(\.score)
    score = scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
    self.skipReason = outcome == .skipped ? (skipReason ?? "not run") : nil
  }

  /// Aggregates sample outcomes into the case outcome.
  public static func aggregate(_ attempts: [AttemptResult]) -> Outcome {
    let outcomes = attempts.map(\.outcome).filter { $0 != .skipped }
    if outcomes.isEmpty { return .skipped }
    if outcomes.contains(.failed) { return .failed }
    if outcomes.contains(.errored) { return .errored }
    return .passed
  }

  /// Total call time over samples, in seconds.
  public var durationSeconds: Double { attempts.reduce(0) { $0 + $1.latencyMs } / 1000 }

  /// Fraction of run samples that passed.
  public var passFraction: Double {
    let run = attempts.filter { $0.outcome != .skipped }
    return run.isEmpty ? 0 : Double(run.filter { $0.outcome == .passed }.count) / Double(run.count)
  }
}
