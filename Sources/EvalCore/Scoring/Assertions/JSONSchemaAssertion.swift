import Foundation

/// `json-schema`: the whole output is JSON (whitespace and one code fence allowed) and satisfies the
/// schema in `value` (the subset documented in docs/assertions.md).
public struct JSONSchemaAssertion: Assertion {
  let validator: JSONSchemaValidator

  /// Builds from a spec whose `value` is a schema object.
  public init(_ spec: AssertionSpec) throws {
    guard let schema = spec.value, schema != .null else {
      throw Diagnostic("'\(spec.displayType)' needs a schema 'value'")
    }
    validator = try JSONSchemaValidator(schema: schema)
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let value = JSONExtraction.whole(input.output) else {
      return AssertionOutcome(
        pass: false, reason: "output is not valid JSON: \(excerpt(String(input.output.prefix(41)), limit: 40))")
    }
    return SchemaCheck.outcome(value, validator, found: "output is valid JSON")
  }
}
