import Foundation

/// `equals`: the output is exactly the value. An object or list value is compared with the output parsed
/// as JSON (key order ignored, numbers by exact value); a number or boolean with its JSON text (an integer
/// beyond 2^53 with its digits).
public struct Equals: Assertion {
  let expected: JSONValue

  /// Builds from a spec with a `value`.
  public init(_ spec: AssertionSpec) throws {
    guard let value = spec.value, value != .null else { throw Diagnostic("'\(spec.displayType)' needs a 'value'") }
    expected = value
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    switch expected {
    case .object, .array:
      guard let parsed = JSONExtraction.whole(input.output) else {
        return AssertionOutcome(
          pass: false, reason: "expected JSON equal to \(expected.canonicalJSON), output is not JSON")
      }
      let pass = parsed == expected
      return AssertionOutcome(
        pass: pass,
        reason: pass ? "JSON equals expected" : "expected JSON \(expected.canonicalJSON), got \(parsed.canonicalJSON)")
    default:
      var want = expected.plainText
      if case .bigInteger(let digits) = expected { want = digits }
      let pass = input.output == want
      return AssertionOutcome(
        pass: pass,
        reason: pass ? "output equals \(excerpt(want))" : "expected \(excerpt(want)), got \(excerpt(input.output))")
    }
  }
}
