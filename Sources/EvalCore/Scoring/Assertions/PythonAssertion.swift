import Foundation

/// `python`: an expression (`'x' in output`), a function body with `return`, or
/// `file://check.py[:name]` (`get_assert` by default), run in a `python3` worker with `(output, context)`;
/// see ``CodeAssertion``.
public struct PythonAssertion: Assertion {
  let code: CodeAssertion

  /// Builds from a spec whose value is the code.
  public init(_ spec: AssertionSpec) throws { code = try CodeAssertion(spec, language: .python) }

  public func evaluate(_ input: AssertionInput) async -> AssertionOutcome { await code.evaluate(input) }
}
