import EvalCore

/// promptfoo's vocabulary that evalgate does not support: each key is refused with a located error saying
/// why, or ignored with a located warning, never silently (the list docs/promptfoo.md shows).
enum PromptfooKeys {
  /// Top-level keys refused, with the reason.
  static let refusedSuiteKeys: [String: String] = [
    "redteam": "'redteam' (red-team generation) is not supported",
    "assertionTemplates": "'assertionTemplates' is not supported yet; write the assertions out",
    "derivedMetrics": "'derivedMetrics' (computed in JavaScript expressions) is not supported yet",
  ]

  /// Top-level keys ignored, with what is said.
  static let ignoredSuiteKeys: [String: String] = [
    "sharing": "'sharing' is ignored: evalgate never uploads results",
    "outputPath": "'outputPath' is ignored: reports go to the output dir (-o, default reports/)",
    "outputs": "'outputs' is ignored: it is not a promptfoo key either",
    "writeLatestResults": "'writeLatestResults' is ignored: every run writes its reports",
    "metadata": "suite 'metadata' is ignored",
    "tracing": "'tracing' is ignored",
    "commandLineOptions": "'commandLineOptions' is ignored: pass flags to 'evalgate run'",
    "env": "'env' is ignored: evalgate reads settings and secrets only from the environment",
  ]

  /// Test keys refused, with the reason.
  static let refusedTestKeys: [String: String] = [
    "providerOutput": "test 'providerOutput' (a fixed output instead of a call) is not supported"
  ]

  /// Test `options` keys refused, with the reason.
  static let refusedTestOptions: [String: String] = [
    "storeOutputAs": "'options.storeOutputAs' (outputs reused as later vars) is not supported",
    "rubricPrompt": "'options.rubricPrompt' is not supported yet",
  ]

  /// Assertion keys refused, with the reason.
  static let refusedAssertKeys: [String: String] = [
    "rubricPrompt": "assertion 'rubricPrompt' is not supported yet"
  ]

  /// Assertion types of promptfoo that run code.
  static let codeAssertionTypes: Set<String> = ["ruby", "webhook"]

  /// Assertion types promptfoo documents that evalgate does not implement.
  static let unsupportedAssertionTypes: Set<String> = [
    "is-xml", "contains-xml", "is-sql", "contains-sql", "is-html", "contains-html", "cost", "perplexity",
    "perplexity-score", "moderation", "select-best", "max-score", "conversation-relevance", "classifier",
    "is-valid-openai-function-call", "is-valid-function-call", "tool-call-f1", "trace-span-count",
    "trace-span-duration", "trace-error-spans", "meteor", "gleu", "pi", "guardrails", "search-rubric",
    "model-graded-factuality", "contains-json-property", "json-schema-valid",
  ]

  /// Why an assertion type promptfoo accepts is refused, or `nil` for types evalgate does not know at all.
  static func refusal(forAssertionType type: String) -> String? {
    if codeAssertionTypes.contains(type) {
      return "'\(type)' assertions run code, which evalgate does not run yet"
    }
    if unsupportedAssertionTypes.contains(type) { return "assertion type '\(type)' is not supported" }
    return nil
  }
}
