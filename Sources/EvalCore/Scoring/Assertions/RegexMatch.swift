import Foundation

/// `regex`: the pattern matches somewhere in the output. Inline flags such as `(?i)` work; the syntax is
/// Swift's `Regex`, which accepts the common PCRE/JavaScript forms.
public struct RegexMatch: Assertion {
  let pattern: String

  /// Builds from a spec whose `value` is a pattern; an invalid pattern is a load-time error.
  public init(_ spec: AssertionSpec) throws {
    pattern = try spec.stringValue()
    do { _ = try Regex(pattern) } catch { throw Diagnostic("invalid regex \(excerpt(pattern)): \(error)") }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    guard let regex = try? Regex(pattern) else { return AssertionOutcome(pass: false, reason: "invalid regex") }
    let pass = ((try? regex.firstMatch(in: input.output)) ?? nil) != nil
    return AssertionOutcome(
      pass: pass, reason: pass ? "output matches /\(pattern)/" : "output does not match /\(pattern)/")
  }
}
