import Foundation

/// `contains-all` / `icontains-all`: the output contains every one of the values.
public struct ContainsAll: Assertion {
  let needles: [String]
  let caseInsensitive: Bool

  /// Builds from a spec whose `value` is a list (or a comma-separated string).
  public init(_ spec: AssertionSpec) throws {
    needles = try spec.stringListValue()
    caseInsensitive = spec.isCaseInsensitive
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let missing = needles.filter { !TextMatch.contains(input.output, $0, caseInsensitive: caseInsensitive) }
    if missing.isEmpty { return AssertionOutcome(pass: true, reason: "output contains all \(needles.count) values") }
    return AssertionOutcome(
      pass: false, reason: "output is missing \(missing.map { excerpt($0) }.joined(separator: ", "))")
  }
}
