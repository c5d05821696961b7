import EvalCore
import Foundation
import Yams

/// Reads tests from an included file: YAML (a list of tests), JSONL (one test or vars object per line)
/// or CSV (columns are vars; `__expected…`, `__description`, `__id`, `__threshold` as in promptfoo).
enum TestFileReader {
  static func read(
    path: String, requestedAt location: SourceLocation,
    test: (YAMLNode) throws -> TestSpec, assertion: (YAMLNode) throws -> AssertionSpec
  ) throws -> [TestSpec] {
    let text = try FileSource.text(path, requestedAt: location)
    switch (path as NSString).pathExtension.lowercased() {
    case "yaml", "yml", "json":
      guard let root = try YAMLNode.parse(text, file: path) else { return [] }
      return try root.sequence("a tests file").map(test)
    case "jsonl":
      return try jsonl(text, path: path, test: test)
    case "csv":
      return try CSVTests.read(text, path: path, assertion: assertion)
    default:
      throw Diagnostic(
        "unsupported tests file '\((path as NSString).lastPathComponent)'; use .yaml, .jsonl or .csv", at: location)
    }
  }

  static func jsonl(_ text: String, path: String, test: (YAMLNode) throws -> TestSpec) throws -> [TestSpec] {
    var tests: [TestSpec] = []
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { continue }
      guard trimmed.hasPrefix("{") else {
        throw Diagnostic(
          "each JSONL line must be a JSON object", at: SourceLocation(file: path, line: i + 1, column: 1))
      }
      guard let node = try YAMLNode.parse(String(line), file: path, lineOffset: i) else { continue }
      let m = try node.mapping("a JSONL test")
      let isTest = m.entries.contains { SuiteLoader.testKeys.contains($0.key) && $0.key != "tags" }
      if isTest {
        tests.append(try test(node))
      } else {
        tests.append(TestSpec(vars: try node.stringMap("a JSONL test"), location: node.location))
      }
    }
    return tests
  }
}
