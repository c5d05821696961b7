import EvalCore
import Foundation

/// promptfoo's vocabulary that evalgate does not support: each key is refused with a located error saying
/// why, or ignored with a located warning, never silently (the list docs/promptfoo.md shows).
enum PromptfooKeys {
  /// Top-level keys refused, with the reason.
  static let refusedSuiteKeys: [String: String] = [
    "redteam": "'redteam' (red-team generation) is not supported"
  ]

  /// Top-level keys ignored, with what is said.
  static let ignoredSuiteKeys: [String: String] = [
    "sharing": "'sharing' is ignored: evalgate never uploads results",
    "outputs": "'outputs' is ignored: it is not a promptfoo key either",
    "writeLatestResults": "'writeLatestResults' is ignored: every run writes its reports",
    "metadata": "suite 'metadata' is ignored",
    "tracing": "'tracing' is ignored",
    "commandLineOptions": "'commandLineOptions' is ignored: pass flags to 'evalgate run'",
    "env": "'env' is ignored: evalgate reads settings and secrets only from the environment",
  ]

  /// Test keys refused, with the reason.
  static let refusedTestKeys: [String: String] = [:]

  /// Test `options` keys refused, with the reason.
  static let refusedTestOptions: [String: String] = [:]

  /// Assertion keys refused, with the reason.
  static let refusedAssertKeys: [String: String] = [:]

  /// Assertion types of promptfoo that run code.
  static let codeAssertionTypes: Set<String> = ["ruby", "webhook"]

  /// Assertion types promptfoo documents that evalgate does not implement.
  static let unsupportedAssertionTypes: Set<String> = [
    "is-html", "contains-html", "perplexity",
    "perplexity-score", "classifier",
    "is-valid-function-call", "tool-call-f1", "trace-span-count",
    "trace-span-duration", "trace-error-spans", "meteor", "gleu", "pi", "guardrails", "search-rubric",
    "model-graded-factuality",
  ]

  /// Types some promptfoo examples use that promptfoo itself does not know (it fails on them too), with
  /// what to write instead.
  static let notPromptfooTypes: [String: String] = [
    "json-schema-valid": "'is-json' with the schema as 'value'",
    "contains-json-property": "'is-json' with a schema whose 'required' lists the properties",
  ]

  /// Why an assertion type promptfoo accepts is refused, or `nil` for types evalgate does not know at all.
  static func refusal(forAssertionType type: String) -> String? {
    if codeAssertionTypes.contains(type) {
      return "'\(type)' assertions run code, which evalgate does not run yet"
    }
    if unsupportedAssertionTypes.contains(type) { return "assertion type '\(type)' is not supported" }
    if let instead = notPromptfooTypes[type] {
      return "'\(type)' is not an assertion type of promptfoo either (promptfoo fails on it); write \(instead)"
    }
    return nil
  }

  /// Whether `file` is a promptfoo config, read with promptfoo's rules where they differ from an evalgate
  /// suite's (a prompt variable no test defines renders empty): named `promptfooconfig*`, or declaring
  /// promptfoo's schema (`# yaml-language-server: $schema=https://promptfoo.dev/config-schema.json`).
  static func isPromptfooConfig(file: String) -> Bool {
    if ((file as NSString).lastPathComponent).hasPrefix("promptfooconfig") { return true }
    guard let text = try? FileSource.text(file) else { return false }
    return text.prefix(2048).contains("promptfoo.dev/config-schema")
  }
}
