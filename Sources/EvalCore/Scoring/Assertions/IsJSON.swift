import Foundation

/// `is-json`: the whole output (whitespace and one code fence allowed) is valid JSON; with a `value`, it
/// must also satisfy that JSON schema.
public struct IsJSON: Assertion {
  let validator: JSONSchemaValidator?

  /// Builds from a spec with an optional schema `value`.
  public init(_ spec: AssertionSpec) throws {
    validator = try spec.value.flatMap { $0 == .null ? nil : try JSONSchemaValidator(schema: $0) }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let value = JSONExtraction.whole(input.output) else {
      return AssertionOutcome(
        pass: false, reason: "output is not valid JSON: \(excerpt(String(input.output.prefix(41)), limit: 40))")
    }
    return SchemaCheck.outcome(value, validator, found: "output is valid JSON")
  }
}

/// Turns schema violations into an outcome.
enum SchemaCheck {
  static func outcome(_ value: JSONValue, _ validator: JSONSchemaValidator?, found: String) -> AssertionOutcome {
    guard let validator else { return AssertionOutcome(pass: true, reason: found) }
    let errors = validator.validate(value)
    if errors.isEmpty { return AssertionOutcome(pass: true, reason: found + " and matches the schema") }
    let shown = errors.prefix(3).joined(separator: "; ")
    let more = errors.count > 3 ? " (+\(errors.count - 3) more)" : ""
    return AssertionOutcome(pass: false, reason: "JSON does not match the schema: \(shown)\(more)")
  }
}
