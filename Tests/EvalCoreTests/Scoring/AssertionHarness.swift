import EvalCore
import Testing

/// Builds one assertion through the registry (as a suite would) and scores an output with it.
enum Harness {
  static let here = EvalCore.SourceLocation(file: "test.yaml", line: 1, column: 1)

  static func spec(_ type: String, _ value: JSONValue? = nil, threshold: Double? = nil) -> AssertionSpec {
    var base = type
    let negated = base.hasPrefix("not-")
    if negated { base.removeFirst(4) }
    return AssertionSpec(type: base, negated: negated, value: value, threshold: threshold, location: here)
  }

  /// Pass/fail of `type` on `output`, after `not-`.
  static func passes(
    _ type: String, _ value: JSONValue? = nil, threshold: Double? = nil, output: String, finishReason: String? = nil,
    latencyMs: Double = 0
  ) async throws -> Bool {
    try await result(
      type, value, threshold: threshold, output: output, finishReason: finishReason, latencyMs: latencyMs
    )
    .pass
  }

  static func result(
    _ type: String, _ value: JSONValue? = nil, threshold: Double? = nil, output: String, finishReason: String? = nil,
    latencyMs: Double = 0
  ) async throws -> AssertionResult {
    let plan = try ScoringPlan.build([spec(type, value, threshold: threshold)], threshold: nil, registry: .standard)
    let verdict = await Scorer.score(
      plan, AssertionInput(output: output, finishReason: finishReason, latencyMs: latencyMs))
    return try #require(verdict.results.first)
  }

  /// The diagnostic building `type` with `value` throws, or nil.
  static func buildError(_ type: String, _ value: JSONValue? = nil, threshold: Double? = nil) -> Diagnostic? {
    do {
      _ = try ScoringPlan.build([spec(type, value, threshold: threshold)], threshold: nil, registry: .standard)
      return nil
    } catch {
      return error as? Diagnostic
    }
  }
}
