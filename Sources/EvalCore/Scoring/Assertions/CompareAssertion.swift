import Foundation

/// `max-score` and `select-best`: assertions that compare the outputs of one test across its prompts and
/// providers, so they are decided after every output of the test is in (see ``OutputComparison``). While a
/// sample is scored alone, they hold a pending result that does not decide it.
public struct CompareAssertion: Assertion {
  /// The types that compare outputs.
  public static let types: Set<String> = ["max-score", "select-best"]
  /// The reason a pending result carries until the comparison replaces it.
  public static let pendingReason = "decided when the test's outputs are compared"

  /// Builds from a spec: `select-best` needs a judge and criteria; `max-score` takes optional
  /// `{method: average|sum, weights: {type: weight}, threshold}`.
  public init(_ spec: AssertionSpec) throws {
    if spec.negated { throw Diagnostic("'\(spec.displayType)' cannot be negated") }
    switch spec.type {
    case "select-best":
      _ = try JudgeInputs.judgeKey(spec)
      guard let criteria = spec.value?.stringValue, !criteria.isEmpty else {
        throw Diagnostic("'select-best' needs the criteria as 'value'")
      }
    default:
      _ = try MaxScoreOptions(spec.value)
    }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    AssertionOutcome(pass: true, score: 1, reason: CompareAssertion.pendingReason)
  }
}

/// `max-score`'s options, as promptfoo reads them.
struct MaxScoreOptions {
  var sum = false
  var weights: [String: Double] = [:]
  var threshold: Double?

  /// The defaults: the mean, every type weighing 1, no threshold.
  init() {}

  init(_ value: JSONValue?) throws {
    guard let value, value != .null else { return }
    guard let o = value.objectValue else {
      throw Diagnostic("'max-score' takes a mapping: {method: average|sum, weights: {<type>: <weight>}, threshold}")
    }
    for key in o.keys where !["method", "weights", "threshold"].contains(key) {
      throw Diagnostic("unknown 'max-score' option '\(key)' (method, weights, threshold)")
    }
    switch o["method"]?.stringValue {
    case nil, "average"?: sum = false
    case "sum"?: sum = true
    case let other?: throw Diagnostic("'max-score' method must be 'average' or 'sum', found '\(other)'")
    }
    for (type, w) in o["weights"]?.objectValue ?? [:] {
      guard let x = w.numberValue else { throw Diagnostic("'max-score' weight of '\(type)' must be a number") }
      weights[type] = x
    }
    threshold = o["threshold"]?.numberValue
  }
}
