import EvalCore
import Foundation
import Yams

/// promptfoo's ways of giving tests: `defaultTest: file://…`, `scenarios`, var values read from files, and
/// `options.provider` as `{text, embedding}`.
extension SuiteLoader {
  /// `defaultTest:` inline, or `file://` to a YAML or JSON file holding it.
  func defaultTest(_ node: YAMLNode, context: inout Context) throws -> TestSpec {
    if case .scalar = node.node, let reference = try? node.string("'defaultTest'"), FileSource.isReference(reference) {
      let path = try include(reference, at: node, context: &context)
      guard let root = try YAMLNode.parse(try FileSource.text(path, requestedAt: node.location), file: path) else {
        throw node.error("'defaultTest' file '\((path as NSString).lastPathComponent)' is empty")
      }
      var inner = context.included(path)
      defer { context.includes += inner.includes }
      return try test(root, what: "'defaultTest'", context: &inner)
    }
    return try test(node, what: "'defaultTest'", context: &context)
  }

  /// An `assert` entry, or the template a `$ref: '#/assertionTemplates/<name>'` entry names (promptfoo's
  /// `assertionTemplates`).
  func template(_ node: YAMLNode, context: Context) throws -> YAMLNode {
    guard case .mapping = node.node, let ref = try node.mapping("an assertion")["$ref"] else { return node }
    let text = try ref.string("'$ref'")
    let prefix = "#/assertionTemplates/"
    guard text.hasPrefix(prefix) else {
      throw ref.error("'$ref' must be '\(prefix)<name>', found '\(text)'")
    }
    let name = String(text.dropFirst(prefix.count))
    guard let found = context.assertionTemplates[name] else {
      throw ref.error(
        "no assertion template is named '\(name)'"
          + Suggestion.didYouMean(name, in: context.assertionTemplates.keys.sorted()))
    }
    return found
  }

  /// `scenarios:` as promptfoo runs them: every test of a scenario once per entry of its `config`, the
  /// entry's vars under the test's own and its assertions first; the description names the scenario.
  func scenarios(_ node: YAMLNode, context: inout Context) throws -> [TestSpec] {
    var out: [TestSpec] = []
    for item in try node.sequence("'scenarios'") {
      let m = try item.mapping("a scenario")
      try m.check(allowed: ["description", "config", "tests"])
      let description = try m["description"]?.string("'description'")
      let configs = try m["config"].map { try $0.sequence("'config'") } ?? []
      guard let testsNode = m["tests"] else { throw item.error("a scenario needs 'tests'") }
      var tests: [TestSpec] = []
      // Scenario tests are held: each runs once per config entry.
      for t in testsNode.listOrSingle() { tests += Array(try testsEntry(t, context: &context)) }
      let bases = try configs.map { try test($0, what: "a scenario's config", context: &context) }
      for base in bases.isEmpty ? [nil] : bases.map(Optional.some) {
        for t in tests {
          var merged = t.merged(with: base)
          if let description {
            merged.description = description + (t.description.map { ": " + $0 } ?? "")
          }
          out.append(merged)
        }
      }
    }
    return out
  }

  /// A var's value: `file://` text inlined, `.json`/`.yaml` parsed (as promptfoo); lists item by item. A
  /// code file (a var computed by a script) is refused.
  func varValue(_ value: JSONValue, at node: YAMLNode, context: inout Context) throws -> JSONValue {
    switch value {
    case .string(let s) where FileSource.isReference(s):
      let name = ((s as NSString).lastPathComponent.split(separator: ":").first).map(String.init) ?? s
      let ext = (name as NSString).pathExtension.lowercased()
      if CodeSource.codeExtensions.contains(ext) {
        // Computed by the run's workers (``DeferredPrompt``); kept as its absolute reference until then.
        return .string(try codeReference(s, at: node))
      }
      if SuiteLoader.codeExtensions.contains(ext) {
        throw node.error("var from '\(name)' runs code evalgate does not run (only .js, .cjs, .mjs and .py)")
      }
      let path = try include(s, at: node, context: &context)
      let text = try FileSource.text(path, requestedAt: node.location)
      switch ext {
      case "json":
        return try LocatedJSON.parse(text, file: path).json()
      case "yaml", "yml":
        return try YAMLNode.parse(text, file: path)?.json() ?? .null
      default:
        return .string(text)
      }
    case .array(let items):
      return .array(try items.map { try varValue($0, at: node, context: &context) })
    default:
      return value
    }
  }

  /// The vars of `vars` that code computes: the `file://` references to code ``varValue(_:at:context:)`` kept.
  static func codeVars(_ vars: [String: JSONValue], at location: SourceLocation) -> [String: TransformSpec] {
    var out: [String: TransformSpec] = [:]
    for (name, value) in vars {
      guard case .string(let text) = value, text.hasPrefix("file://"),
        case .file(let path, _) = CodeSource.parse(text),
        CodeSource.codeExtensions.contains((path as NSString).pathExtension.lowercased())
      else { continue }
      out[name] = TransformSpec(
        language: CodeLanguage.of(file: path), source: CodeSource.parse(text), location: location)
    }
    return out
  }

  /// `options.provider`: a provider, or promptfoo's `{text: …, embedding: …}` (the text grader is used).
  func gradingProvider(_ node: YAMLNode) throws -> ProviderSpec {
    if case .mapping = node.node {
      let m = try node.mapping("'provider'")
      if m["id"] == nil, let text = m["text"] ?? m["embedding"] {
        try m.check(allowed: ["text", "embedding"])
        return try providerReference(text)
      }
    }
    return try providerReference(node)
  }
}
