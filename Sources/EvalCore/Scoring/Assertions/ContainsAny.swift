import Foundation

/// `contains-any` / `icontains-any`: the output contains at least one of the values.
public struct ContainsAny: Assertion {
  let needles: [String]
  let caseInsensitive: Bool

  /// Builds from a spec whose `value` is a list (or a comma-separated string).
  public init(_ spec: AssertionSpec) throws {
    needles = try spec.stringListValue()
    caseInsensitive = spec.isCaseInsensitive
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    if let hit = needles.first(where: { TextMatch.contains(input.output, $0, caseInsensitive: caseInsensitive) }) {
      return AssertionOutcome(pass: true, reason: "output contains \(excerpt(hit))")
    }
    return AssertionOutcome(
      pass: false, reason: "output contains none of \(needles.map { excerpt($0) }.joined(separator: ", "))")
  }
}
