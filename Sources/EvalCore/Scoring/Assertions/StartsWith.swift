import Foundation

/// `starts-with`: the output begins with the value.
public struct StartsWith: Assertion {
  let prefix: String

  /// Builds from a spec with a string `value`.
  public init(_ spec: AssertionSpec) throws {
    prefix = try spec.stringValue()
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let pass = input.output.hasPrefix(prefix)
    return AssertionOutcome(
      pass: pass,
      reason: pass
        ? "output starts with \(excerpt(prefix))"
        : "expected output to start with \(excerpt(prefix)), got \(excerpt(input.output, limit: 30))")
  }
}
