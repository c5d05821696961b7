import Foundation

/// `contains-pii`: the output contains personal data (``PIIScanner``); usually asserted as
/// `not-contains-pii`. An optional list `value` limits the kinds: `email`, `phone`, `credit-card`, `iban`,
/// `ssn`, `ip-address`.
public struct ContainsPII: Assertion {
  let scanner: PIIScanner

  /// Builds from a spec with an optional list of kinds.
  public init(_ spec: AssertionSpec) throws {
    guard spec.value != nil, spec.value != .null else {
      scanner = PIIScanner()
      return
    }
    let known = PIIScanner.Kind.allCases.map(\.rawValue)
    scanner = PIIScanner(
      kinds: Set(
        try spec.stringListValue().map { name in
          guard let kind = PIIScanner.Kind(rawValue: name) else {
            throw Diagnostic(
              "unknown kind of personal data '\(name)'; use \(known.joined(separator: ", "))"
                + Suggestion.didYouMean(name, in: known))
          }
          return kind
        }))
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let found = scanner.scan(input.output)
    guard !found.isEmpty else { return AssertionOutcome(pass: false, reason: "no personal data found") }
    // Named by kind with a masked excerpt, so the report does not copy the data again.
    let listed = found.prefix(5).map { "\($0.kind.rawValue) \"\($0.text.prefix(3))…\"" }.joined(separator: ", ")
    return AssertionOutcome(pass: true, reason: "output contains personal data: \(listed)")
  }
}
