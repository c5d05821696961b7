import Foundation

/// `similar`: the embedding of the output is close to that of the expected text in `value` (a list: the
/// closest counts). `similar` and `similar:cosine` compare cosine similarity (at least `threshold`,
/// default 0.75), `similar:dot` the dot product (at least `threshold`, default 0.75), `similar:euclidean`
/// the distance (at most `threshold`, default 0.7). The embedding model is the assertion's `provider`
/// (else the test's `options.provider`), an embedding provider such as `openai:embedding:<model>`;
/// embeddings are cached like any answer, so an unchanged expected text is embedded once.
public struct Similar: Assertion {
  enum Metric: String { case cosine, dot, euclidean }

  let expected: [String]
  let metric: Metric
  let threshold: Double
  let embedderKey: String

  /// Builds from a spec with the expected text (or a list) and an embedding provider.
  public init(_ spec: AssertionSpec) throws {
    expected = try spec.referenceTexts()
    metric = spec.type.hasSuffix(":dot") ? .dot : spec.type.hasSuffix(":euclidean") ? .euclidean : .cosine
    threshold = spec.threshold ?? (metric == .euclidean ? 0.7 : 0.75)
    guard let provider = spec.judge else {
      throw Diagnostic(
        "'\(spec.displayType)' needs an embedding provider: set 'provider' (e.g. openai:embedding:"
          + "text-embedding-3-small) on the assertion or 'options: { provider: … }' on the test")
    }
    embedderKey = provider.key
  }

  func embed(_ text: String, _ call: JudgeCall) async -> Result<[Double], JudgeError> {
    switch await call(embedderKey, [ChatMessage(role: "user", content: text)], 0) {
    case .failure(let e): return .failure(JudgeError(message: "embedding call failed: \(e.message)", kind: e.kind))
    case .success(let reply):
      guard let vector = JSONValue.parse(reply)?.arrayValue?.compactMap(\.numberValue), !vector.isEmpty else {
        return .failure(
          JudgeError(
            message: "the provider did not return an embedding (is it an embedding model?)", kind: .malformedResponse))
      }
      return .success(vector)
    }
  }

  func compare(_ a: [Double], _ b: [Double]) -> Double? {
    guard a.count == b.count else { return nil }
    let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    switch metric {
    case .dot: return dot
    case .euclidean: return zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    case .cosine:
      let norms = a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot()
      return norms > 0 ? dot / norms : 0
    }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let call = input.judge else {
      return .errored("embedding error: no embedding provider outside a run", kind: .configuration)
    }
    let output: [Double]
    switch await embed(input.output, call) {
    case .failure(let e): return .errored("embedding error: \(e.message)", kind: e.kind)
    case .success(let v): output = v
    }
    var values: [Double] = []
    for text in expected {
      switch await embed(text, call) {
      case .failure(let e): return .errored("embedding error: \(e.message)", kind: e.kind)
      case .success(let v):
        guard let value = compare(output, v) else {
          return .errored("embedding error: vectors of different lengths", kind: .malformedResponse)
        }
        values.append(value)
      }
    }
    let best = metric == .euclidean ? values.min() ?? .infinity : values.max() ?? 0
    let pass = metric == .euclidean ? best <= threshold + 1e-12 : best + 1e-12 >= threshold
    let score = metric == .euclidean ? max(0, 1 - best) : min(1, max(0, best))
    let comparison = metric == .euclidean ? (pass ? "≤" : ">") : (pass ? "≥" : "<")
    return AssertionOutcome(
      pass: pass, score: score,
      reason: "\(metric.rawValue) \(String(format: "%.4f", best)) \(comparison) \(JSONValue.format(threshold))")
  }
}
