import Foundation

/// Scores one output against a ``ScoringPlan``: applies `not-`, weights, `assert-set` thresholds and the
/// test threshold, with promptfoo's semantics (see docs/assertions.md).
///
/// An assertion that could not be checked (its grader failed) is an error, never a verdict: `not-` leaves
/// it an error, and an error among the counted items (weight > 0) makes the set or the sample errored,
/// unless a definite failure already decides it (without a threshold, one failure fails; a weighted
/// score with a threshold cannot be known while any counted item errored).
public enum Scorer {
  /// The scored result of a whole plan.
  public struct Verdict: Sendable, Hashable {
    /// Whether the sample passed (false when errored).
    public var pass: Bool
    /// The weighted score in 0…1 (meaningless when errored).
    public var score: Double
    /// One result per top-level item.
    public var results: [AssertionResult]
    /// Why the sample could not be judged: the first counted assertion that errored.
    public var error: ProviderError?
  }

  /// Scores `input` against `plan`.
  public static func score(_ plan: ScoringPlan, _ input: AssertionInput) async -> Verdict {
    var results: [AssertionResult] = []
    results.reserveCapacity(plan.items.count)
    for item in plan.items { results.append(await score(item, input)) }
    let (pass, score, error) = combine(results, threshold: plan.threshold)
    return Verdict(pass: pass, score: score, results: results, error: error)
  }

  private static func score(_ item: ScoringPlan.Item, _ input: AssertionInput) async -> AssertionResult {
    let spec = item.spec
    switch item.kind {
    case .single(let assertion):
      let seen: AssertionInput
      switch await transformed(input, for: spec) {
      case .success(let t): seen = t
      case .failure(let e): return AssertionResult(spec: spec, outcome: .errored(e.message, kind: e.kind), children: [])
      }
      var outcome = await assertion.evaluate(seen)
      if spec.negated, !outcome.isError {
        outcome = AssertionOutcome(
          pass: !outcome.pass, score: 1 - outcome.score,
          reason: outcome.pass ? "expected not: \(outcome.reason)" : "not: \(outcome.reason)")
      }
      return AssertionResult(spec: spec, outcome: outcome, children: [])
    case .set(let items):
      var children: [AssertionResult] = []
      for child in items { children.append(await score(child, input)) }
      let (pass, score, error) = combine(children, threshold: spec.threshold)
      let failed = children.filter { !$0.pass && !$0.isError }.count
      if let error {
        let errored = children.filter(\.isError).count
        return AssertionResult(
          spec: spec,
          outcome: .errored(
            "\(errored)/\(children.count) could not be checked: \(error.message)", kind: error.kind),
          children: children)
      }
      let reason =
        pass
        ? "\(children.count - failed)/\(children.count) passed"
        : spec.threshold.map { "score \(format(score)) < threshold \(format($0))" }
          ?? "\(failed)/\(children.count) failed"
      return AssertionResult(
        spec: spec, outcome: AssertionOutcome(pass: pass, score: score, reason: reason), children: children)
    }
  }

  /// `input` as the assertion's own `transform` (the output) and `contextTransform` (`vars.context`) make
  /// it, run in the run's code workers; the failure of either is the assertion's error.
  static func transformed(_ input: AssertionInput, for spec: AssertionSpec) async -> Result<
    AssertionInput, ProviderError
  > {
    guard spec.transform != nil || spec.contextTransform != nil else { return .success(input) }
    var out = input
    for (which, transform) in [("transform", spec.transform), ("contextTransform", spec.contextTransform)] {
      guard let transform else { continue }
      guard let code = input.code else {
        return .failure(ProviderError(.configuration, "no \(transform.language.interpreter) worker runs '\(which)'"))
      }
      let call = transform.call(
        output: input.output, vars: input.vars, prompt: input.prompt, finishReason: input.finishReason)
      switch await code.call(call).flatMap(TransformSpec.output(from:)) {
      case .success(let text):
        if which == "transform" { out.output = text } else { out.vars["context"] = .string(text) }
      case .failure(let e):
        return .failure(ProviderError(e.kind, "'\(which)' at \(transform.location): \(e.message)"))
      }
    }
    return .success(out)
  }

  /// Weighted mean of scores (weight 0 is left out) and the pass rule: threshold if given, else all pass.
  /// An error among the counted results makes the whole errored, unless (without a threshold) a counted
  /// result failed outright.
  static func combine(_ results: [AssertionResult], threshold: Double?) -> (Bool, Double, ProviderError?) {
    let counted = results.filter { $0.weight > 0 }
    let totalWeight = counted.reduce(0) { $0 + $1.weight }
    let score = totalWeight > 0 ? counted.reduce(0) { $0 + $1.score * $1.weight } / totalWeight : 1
    let error = counted.lazy.compactMap(\.error).first
    if let threshold {
      if let error { return (false, score, error) }
      return (score >= threshold - 1e-12, score, nil)
    }
    if counted.contains(where: { !$0.pass && !$0.isError }) { return (false, score, nil) }
    if let error { return (false, score, error) }
    return (true, score, nil)
  }

  static func format(_ x: Double) -> String {
    let rounded = (x * 1000).rounded() / 1000
    return JSONValue.format(rounded)
  }
}
