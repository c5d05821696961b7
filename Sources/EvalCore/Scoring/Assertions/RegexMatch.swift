import Foundation

/// `regex`: the pattern matches somewhere in the output. The syntax is ICU's (`NSRegularExpression`), which
/// reads what promptfoo users write for JavaScript's `RegExp`: lookbehind `(?<=…)` / `(?<!…)`, named groups
/// `(?<name>…)`, classes, quantifiers and backreferences, plus inline flags such as `(?i)`, `(?m)`, `(?s)`.
/// ICU matches in place over the text's UTF-16, which keeps 1 MB outputs quick (docs/benchmarks.md).
public struct RegexMatch: Assertion {
  let pattern: String
  let regex: NSRegularExpression

  /// Builds from a spec whose `value` is a pattern; an invalid pattern is a load-time error.
  public init(_ spec: AssertionSpec) throws {
    pattern = try spec.stringValue()
    do {
      regex = try NSRegularExpression(pattern: pattern)
    } catch {
      throw Diagnostic("invalid regex \(excerpt(pattern)): ICU could not compile it (\(error.localizedDescription))")
    }
  }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome {
    let text = input.output
    let pass = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    return AssertionOutcome(
      pass: pass, reason: pass ? "output matches /\(pattern)/" : "output does not match /\(pattern)/")
  }
}
