import Foundation

/// promptfoo's `derivedMetrics` entry: a metric computed, after the run, from the named metrics of each
/// prompt × provider, in order (a later one may read an earlier one).
public struct DerivedMetric: Sendable, Hashable {
  /// The metric's name.
  public var name: String
  /// Its expression.
  public var expression: MetricExpression
  /// Where it is written.
  public var location: SourceLocation

  /// Creates a derived metric.
  public init(name: String, expression: MetricExpression, location: SourceLocation) {
    self.name = name
    self.expression = expression
    self.location = location
  }

  /// A derived metric as results.json records it: its name and expression.
  public struct Definition: Sendable, Hashable, Codable {
    /// The metric's name.
    public var name: String
    /// Its expression, as written.
    public var value: String

    /// Creates a definition.
    public init(name: String, value: String) {
      self.name = name
      self.value = value
    }
  }

  /// The metrics `definitions` describe (an expression that no longer parses is left out).
  public static func metrics(_ definitions: [Definition]) -> [DerivedMetric] {
    definitions.compactMap { d in
      (try? MetricExpression(d.value)).map {
        DerivedMetric(name: d.name, expression: $0, location: SourceLocation(file: "results.json", line: 0))
      }
    }
  }

  /// The value of one derived metric for one prompt × provider.
  public struct Value: Sendable, Hashable, Codable {
    /// The prompt's label.
    public var prompt: String
    /// The provider's label.
    public var provider: String
    /// The metric's name.
    public var name: String
    /// Its value; `nil` when it is not a finite number (a division by zero), with ``note`` saying so.
    public var value: Double?
    /// Why there is no value.
    public var note: String?
  }

  /// The named scores of one prompt × provider as promptfoo's `namedScores`: per sample, each metric's
  /// weighted mean over the assertions recording it; summed over the samples; and `__count`, the samples
  /// scored.
  public static func namedScores(_ cases: some Sequence<CaseResult>) -> [String: Double] {
    var sums: [String: Double] = [:]
    var count = 0
    for c in cases {
      for attempt in c.attempts where attempt.score != nil {
        count += 1
        var perMetric: [String: (Double, Double)] = [:]
        func collect(_ r: AssertionResult) {
          if let m = r.metric, !r.isError {
            let w = r.weight > 0 ? r.weight : 1
            let (s, n) = perMetric[m] ?? (0, 0)
            perMetric[m] = (s + r.score * w, n + w)
          }
          r.children?.forEach(collect)
        }
        attempt.assertions.forEach(collect)
        for (m, (s, n)) in perMetric { sums[m, default: 0] += s / n }
      }
    }
    sums["__count"] = Double(count)
    return sums
  }

  /// The derived metrics of every prompt × provider of `cases` (in their order of first appearance).
  public static func values(_ metrics: [DerivedMetric], cases: [CaseResult]) -> [Value] {
    guard !metrics.isEmpty else { return [] }
    var order: [String] = []
    var groups: [String: [CaseResult]] = [:]
    var labels: [String: (String, String)] = [:]
    for c in cases {
      let key = c.prompt + "\u{1F}" + c.provider
      if groups[key] == nil {
        order.append(key)
        labels[key] = (c.prompt, c.provider)
      }
      groups[key, default: []].append(c)
    }
    var out: [Value] = []
    for key in order {
      guard let (prompt, provider) = labels[key] else { continue }
      var scores = namedScores(groups[key] ?? [])
      for metric in metrics {
        let x = metric.expression.evaluate(scores)
        scores[metric.name] = x
        out.append(
          Value(
            prompt: prompt, provider: provider, name: metric.name, value: x.isFinite ? x : nil,
            note: x.isFinite ? nil : "'\(metric.expression.text)' is \(x.isNaN ? "not a number" : "infinite") here"))
      }
    }
    return out
  }
}
