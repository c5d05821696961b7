import Foundation

/// A check of one model output. Built once per case from an ``AssertionSpec`` whose values are already
/// templated, so building can reject a bad value (an invalid regex, a missing threshold) before any call.
public protocol Assertion: Sendable {
  /// Judges one output. Pure assertions ignore everything but `input`.
  func evaluate(_ input: AssertionInput) async -> AssertionOutcome
}

/// What an assertion sees of one sample.
public struct AssertionInput: Sendable {
  /// The model's text output.
  public var output: String
  /// The finish reason, when the endpoint reported one.
  public var finishReason: String?
  /// Wall time of the call in milliseconds.
  public var latencyMs: Double
  /// The case's variables.
  public var vars: [String: JSONValue]
  /// Calls a judge model, for model-graded assertions; `nil` where no run is going on.
  public var judge: JudgeCall?
  /// The last user message sent to the model (the question, for judges that need it).
  public var prompt: String?
  /// Runs code assertions (`javascript`, `python`); `nil` where no run is going on.
  public var code: (any CodeRunner)?
  /// The test as code assertions see it (`context.test`: description, vars, metadata).
  public var test: JSONValue?
  /// What the call cost in US dollars, when the price and the token counts are known (`cost`).
  public var cost: Double?
  /// Checks SQL syntax (`is-sql`); `nil` where no run supplies a parser.
  public var sql: (any SQLSyntaxChecker)?
  /// The output as data, when the endpoint answered with data (tool calls, a function call): what code
  /// assertions get as `output`, as in promptfoo.
  public var structuredOutput: JSONValue?

  /// Creates an input.
  public init(
    output: String, finishReason: String? = nil, latencyMs: Double = 0, vars: [String: JSONValue] = [:],
    judge: JudgeCall? = nil, prompt: String? = nil, code: (any CodeRunner)? = nil, test: JSONValue? = nil,
    cost: Double? = nil
  ) {
    self.output = output
    self.finishReason = finishReason
    self.latencyMs = latencyMs
    self.vars = vars
    self.judge = judge
    self.prompt = prompt
    self.code = code
    self.test = test
    self.cost = cost
  }
}

/// An assertion's verdict on one output, before `not-` and weights are applied; or, when the check could
/// not be made (a judge or embedding provider failed, a metric could not be computed), an error, which is
/// never a verdict: `not-` does not turn it into a pass, and it makes the sample errored.
public struct AssertionOutcome: Sendable, Hashable {
  /// Whether it passed (false for an error).
  public var pass: Bool
  /// A score in 0…1 (1 or 0 for binary checks; 0 for an error, and never counted).
  public var score: Double
  /// Why, in one line: what was expected and what was seen, or why it could not be checked.
  public var reason: String
  /// Why the check could not be made, when it could not: the grader's failure (its kind tells an
  /// unreachable grader from an unusable reply).
  public var error: ProviderError?

  /// Creates an outcome.
  public init(pass: Bool, score: Double? = nil, reason: String) {
    self.pass = pass
    self.score = score ?? (pass ? 1 : 0)
    self.reason = reason
  }

  /// An assertion that could not be checked.
  public static func errored(_ reason: String, kind: ProviderError.Kind = .other) -> AssertionOutcome {
    var outcome = AssertionOutcome(pass: false, score: 0, reason: reason)
    outcome.error = ProviderError(kind, reason)
    return outcome
  }

  /// True when the check could not be made.
  public var isError: Bool { error != nil }
}

/// Shortens text for a reason line: the first `limit` characters, one line. Looks at no more of `text`
/// than it shows, so a reason costs the same for a 1 MB output as for a short one.
func excerpt(_ text: String, limit: Int = 60) -> String {
  var shown = ""
  var count = 0
  var cut = false
  for ch in text {
    if count == limit {
      cut = true
      break
    }
    if ch == "\n" {
      shown += "\\n"
    } else {
      shown.append(ch)
    }
    count += 1
  }
  return "\"" + shown + (cut ? "…\"" : "\"")
}
