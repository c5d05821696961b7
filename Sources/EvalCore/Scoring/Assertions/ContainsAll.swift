import Foundation

/// `contains-all` / `icontains-all`: the output contains every one of the values.
public struct ContainsAll: Assertion {
  let list: NeedleList

  /// Builds from a spec whose `value` is a list (or a comma-separated string).
  public init(_ spec: AssertionSpec) throws {
    list = try NeedleList(spec)
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let missing = list.partition(input.output).missing
    if missing.isEmpty {
      return AssertionOutcome(pass: true, reason: "output contains all \(list.needles.count) values")
    }
    return AssertionOutcome(
      pass: false, reason: "output is missing \(missing.map { excerpt($0) }.joined(separator: ", "))")
  }
}
