import Foundation

/// `is-xml`: the whole output is one well-formed XML document (libxml2's check), holding every required
/// element path of `value` (`root.child`, `root.child.@_attr`), as promptfoo's.
public struct IsXML: Assertion {
  let required: [String]

  /// Builds from a spec with optional required element paths.
  public init(_ spec: AssertionSpec) throws {
    required = try XMLCheck.requiredElements(spec.value, type: spec.displayType)
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    if let problem = XMLCheck.problem(input.output, required: required) {
      return AssertionOutcome(pass: false, reason: problem)
    }
    return AssertionOutcome(
      pass: true, reason: "output is well-formed XML" + (required.isEmpty ? "" : " with the required elements"))
  }
}
