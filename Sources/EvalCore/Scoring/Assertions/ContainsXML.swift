import Foundation

/// `contains-xml`: some element in the output, from an opening tag to its closing tag, is well-formed XML
/// holding every required element path of `value`, as promptfoo's (outermost elements are tried first; at
/// most 100 are checked).
public struct ContainsXML: Assertion {
  let required: [String]

  /// Builds from a spec with optional required element paths.
  public init(_ spec: AssertionSpec) throws {
    required = try XMLCheck.requiredElements(spec.value, type: spec.displayType)
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let candidates = XMLCheck.fragments(input.output)
    guard !candidates.isEmpty else { return AssertionOutcome(pass: false, reason: "no XML element in the output") }
    for fragment in candidates where XMLCheck.problem(String(fragment), required: required) == nil {
      return AssertionOutcome(pass: true, reason: "contains well-formed XML: \(excerpt(String(fragment), limit: 40))")
    }
    return AssertionOutcome(pass: false, reason: "no well-formed XML element matches the requirements")
  }
}
