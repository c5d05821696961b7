import Foundation

/// `contains-secret` (alias `contains-secrets`): the output contains a credential (``SecretScanner``):
/// an API key in a known provider format, a private key, a JWT. Usually asserted as `not-contains-secret`.
public struct ContainsSecret: Assertion {
  /// Builds from a spec (no value).
  public init(_ spec: AssertionSpec) throws {}

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let found = SecretScanner().scan(input.output)
    guard !found.isEmpty else { return AssertionOutcome(pass: false, reason: "no secret found") }
    let listed = found.prefix(5).map { "\($0.kind) (\($0.preview))" }.joined(separator: ", ")
    return AssertionOutcome(pass: true, reason: "output contains a secret: \(listed)")
  }
}
