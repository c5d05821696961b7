import Foundation

/// `contains-any` / `icontains-any`: the output contains at least one of the values.
public struct ContainsAny: Assertion {
  let list: NeedleList

  /// Builds from a spec whose `value` is a list (or a comma-separated string).
  public init(_ spec: AssertionSpec) throws {
    list = try NeedleList(spec)
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    if let hit = list.partition(input.output).found.first {
      return AssertionOutcome(pass: true, reason: "output contains \(excerpt(hit))")
    }
    return AssertionOutcome(
      pass: false, reason: "output contains none of \(list.needles.map { excerpt($0) }.joined(separator: ", "))")
  }
}
