import Foundation

/// `finish-reason`: the endpoint's finish reason equals `value` (case-insensitive), e.g. `stop` or `length`.
public struct FinishReason: Assertion {
  let expected: String

  /// Builds from a spec with a string `value`.
  public init(_ spec: AssertionSpec) throws {
    expected = try spec.stringValue().lowercased()
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let actual = input.finishReason else {
      return AssertionOutcome(pass: false, reason: "endpoint reported no finish reason, expected '\(expected)'")
    }
    let pass = actual.lowercased() == expected
    return AssertionOutcome(pass: pass, reason: "finish reason '\(actual)'\(pass ? "" : ", expected '\(expected)'")")
  }
}
