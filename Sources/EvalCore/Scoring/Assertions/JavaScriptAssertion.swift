import Foundation

/// `javascript`: an expression (`output.includes('x')`), a function body with `return`, or
/// `file://check.js[:name]`, run in a `node` worker with `(output, context)`; see ``CodeAssertion``.
public struct JavaScriptAssertion: Assertion {
  let code: CodeAssertion

  /// Builds from a spec whose value is the code.
  public init(_ spec: AssertionSpec) throws { code = try CodeAssertion(spec, language: .javascript) }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome { await code.evaluate(input) }
}
