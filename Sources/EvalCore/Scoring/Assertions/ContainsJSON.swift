import Foundation

/// `contains-json`: a JSON object or array (RFC 8259) appears somewhere in the output; with a `value`, the
/// first one found must satisfy that JSON schema. A bare scalar (`42`, `"text"`) does not count.
public struct ContainsJSON: Assertion {
  let validator: JSONSchemaValidator?

  /// Builds from a spec with an optional schema `value`.
  public init(_ spec: AssertionSpec) throws {
    validator = try spec.value.flatMap { $0 == .null ? nil : try JSONSchemaValidator(schema: $0) }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let value = JSONExtraction.embedded(input.output) else {
      return AssertionOutcome(pass: false, reason: "output contains no JSON object or array")
    }
    return SchemaCheck.outcome(value, validator, found: "output contains JSON")
  }
}
