import Foundation

/// promptfoo's `assertScoringFunction`: code that decides a sample's pass and score from the named metric
/// scores of its assertions, `(namedScores, context)` with `context` holding `threshold`,
/// `componentResults` and `tokensUsed`, and returns a boolean, a number or `{pass, score, reason}` (as a
/// code assertion does). It replaces the weighted mean; the assertions' own results are kept.
public enum ScoringFunction {
  /// The scores by metric name: each assertion (and `assert-set`) with a `metric`, the mean where a name
  /// recurs, as promptfoo's `namedScores`.
  public static func namedScores(_ results: [AssertionResult]) -> [String: Double] {
    var sums: [String: (Double, Int)] = [:]
    func visit(_ items: [AssertionResult]) {
      for r in items {
        if let metric = r.metric, !r.isError {
          let (sum, n) = sums[metric] ?? (0, 0)
          sums[metric] = (sum + r.score, n + 1)
        }
        visit(r.children ?? [])
      }
    }
    visit(results)
    return sums.mapValues { $0.0 / Double($0.1) }
  }

  /// The call for one scored sample.
  public static func call(
    _ function: TransformSpec, results: [AssertionResult], threshold: Double?, tokens: Usage?
  ) -> CodeCall {
    let scores = namedScores(results).mapValues { JSONValue.number($0) }
    let components: [JSONValue] = results.map { r in
      var assertion: [String: JSONValue] = ["type": .string(r.type)]
      if let metric = r.metric { assertion["metric"] = .string(metric) }
      return .object([
        "pass": .bool(r.pass), "score": .number(r.score), "reason": .string(r.reason), "assertion": .object(assertion),
      ])
    }
    var context: [String: JSONValue] = ["componentResults": .array(components)]
    if let threshold { context["threshold"] = .number(threshold) }
    if let tokens {
      var t: [String: JSONValue] = [:]
      if let n = tokens.totalTokens { t["total"] = .number(Double(n)) }
      if let n = tokens.promptTokens { t["prompt"] = .number(Double(n)) }
      if let n = tokens.completionTokens { t["completion"] = .number(Double(n)) }
      context["tokensUsed"] = .object(t)
    }
    return CodeCall(
      language: function.language, source: function.source, defaultFunction: "get_assert_score",
      arguments: [.object(scores), .object(context)])
  }

  /// `verdict` with the pass and score the function returned; an error (the code threw, returned
  /// something else) makes the sample errored, never a verdict.
  public static func apply(
    _ function: TransformSpec, to verdict: Scorer.Verdict, threshold: Double?, tokens: Usage?,
    code: (any CodeRunner)?
  ) async -> Scorer.Verdict {
    guard verdict.error == nil else { return verdict }
    var out = verdict
    guard let code else {
      out.error = ProviderError(
        .configuration, "no \(function.language.interpreter) worker runs 'assertScoringFunction'")
      return out
    }
    let result = await code.call(call(function, results: verdict.results, threshold: threshold, tokens: tokens))
    switch result {
    case .failure(let e):
      out.error = ProviderError(e.kind, "'assertScoringFunction' at \(function.location): \(e.message)")
    case .success(let value):
      let outcome = CodeReturn.outcome(value, threshold: threshold, type: "assertScoringFunction")
      if let e = outcome.error {
        out.error = ProviderError(e.kind, "'assertScoringFunction' at \(function.location): \(e.message)")
      } else {
        out.pass = outcome.pass
        out.score = outcome.score
      }
    }
    return out
  }
}
