import EvalCore
import Foundation

/// Reads tests from an included file (a CSV as streamed rows, see ``CSVTestRows``): YAML (a list of tests, YAML 1.2 core schema), JSON (a list of tests),
/// JSONL (one test or vars object per line) or CSV (columns are vars; `__expected…`, `__description`, `__id`,
/// `__threshold` as in promptfoo). JSON and JSONL are read with a JSON parser (RFC 8259) and CSV with an
/// RFC 4180 reader, so values arrive byte for byte as written; errors carry `file:line:col`.
enum TestFileReader {
  static func read(
    path: String, requestedAt location: SourceLocation,
    test: (YAMLNode) throws -> TestSpec
  ) throws -> TestList {
    let ext = (path as NSString).pathExtension.lowercased()
    // A vars CSV (a million rows, say) is read as a stream: checked now, its rows read as cases are made.
    if ext == "csv" { return try CSVTests.rows(path: path, requestedAt: location) }
    let text = try FileSource.text(path, requestedAt: location)
    return TestList(try specs(text, ext: ext, path: path, requestedAt: location, test: test))
  }

  private static func specs(
    _ text: String, ext: String, path: String, requestedAt location: SourceLocation,
    test: (YAMLNode) throws -> TestSpec
  ) throws -> [TestSpec] {
    switch ext {
    case "yaml", "yml":
      guard let root = try YAMLNode.parse(text, file: path) else { return [] }
      return try root.sequence("a tests file").map(test)
    case "json":
      return try LocatedJSON.parse(text, file: path).sequence("a tests file").map(test)
    case "jsonl":
      return try jsonl(text, path: path, test: test)
    default:
      throw Diagnostic(
        "unsupported tests file '\((path as NSString).lastPathComponent)'; use .yaml, .json, .jsonl or .csv",
        at: location)
    }
  }

  /// One JSON object per line (lines end at line feeds; a carriage return before one is whitespace); blank
  /// lines are skipped.
  static func jsonl(_ text: String, path: String, test: (YAMLNode) throws -> TestSpec) throws -> [TestSpec] {
    var tests: [TestSpec] = []
    let body = text.hasPrefix("\u{FEFF}") ? Substring(text.unicodeScalars.dropFirst()) : Substring(text)
    for (i, line) in body.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
      let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
      guard let first = line.firstIndex(where: { !isSpace($0) }) else { continue }
      guard line[first] == UInt8(ascii: "{") else {
        let column = String(decoding: line[line.startIndex..<first], as: UTF8.self).unicodeScalars.count + 1
        throw Diagnostic(
          "each JSONL line must be a JSON object", at: SourceLocation(file: path, line: i + 1, column: column))
      }
      let node = try LocatedJSON.parse(String(decoding: line, as: UTF8.self), file: path, lineOffset: i)
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
