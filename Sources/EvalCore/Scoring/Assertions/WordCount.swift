import Foundation

/// `word-count`: the number of whitespace-separated words equals `value`, or lies within
/// `value: {min, max}` (either bound may be left out).
public struct WordCount: Assertion {
  let min: Int?
  let max: Int?

  /// Builds from a spec whose `value` is a number or `{min, max}`.
  public init(_ spec: AssertionSpec) throws {
    switch spec.value {
    case .number(let n)?:
      min = Int(n)
      max = Int(n)
    case .object(let o)?:
      for key in o.keys where key != "min" && key != "max" {
        throw Diagnostic("'word-count' value has unknown key '\(key)'; use 'min' and 'max'")
      }
      min = o["min"]?.numberValue.map { Int($0) }
      max = o["max"]?.numberValue.map { Int($0) }
      guard min != nil || max != nil else { throw Diagnostic("'word-count' needs 'min' or 'max' numbers") }
      if let lo = min, let hi = max, lo > hi { throw Diagnostic("'word-count' min \(lo) is greater than max \(hi)") }
    default:
      throw Diagnostic("'word-count' needs a number 'value' or {min, max}")
    }
  }

  /// Words as `word-count` counts them.
  static func count(_ text: String) -> Int { text.split(whereSeparator: { $0.isWhitespace }).count }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let n = WordCount.count(input.output)
    let pass = (min.map { n >= $0 } ?? true) && (max.map { n <= $0 } ?? true)
    let want: String
    if let min, let max {
      want = min == max ? "exactly \(min)" : "\(min)…\(max)"
    } else if let min {
      want = "at least \(min)"
    } else {
      want = "at most \(max ?? 0)"
    }
    return AssertionOutcome(pass: pass, reason: "\(n) words, expected \(want)")
  }
}
