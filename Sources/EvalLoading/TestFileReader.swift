import EvalCore
import Foundation

/// Reads tests from an included file: YAML (a list of tests, YAML 1.2 core schema), JSON (a list of tests),
/// JSONL (one test or vars object per line, see ``JSONLTests``) or CSV (columns are vars; `__expected…`,
/// `__description`, `__id`, `__threshold` as in promptfoo). JSON and JSONL are read with a JSON parser (RFC 8259)
/// and CSV with an RFC 4180 reader, so values arrive byte for byte as written; errors carry `file:line:col`.
///
/// A vars CSV and a JSONL file of plain vars lines are streamed (``CSVTestRows``, ``JSONLTestRows``). YAML and
/// JSON files are read whole: Yams (6.x) parses only a whole text in memory (`Parser(yaml:)` takes a `String`)
/// and gives whole documents (`nextRoot()`, `singleRoot()`); its event stream is private to it (libyaml is an
/// `internal import`), so a top-level list cannot be walked an item at a time with it.
enum TestFileReader {
  static func read(
    path: String, requestedAt location: SourceLocation,
    test: (YAMLNode) throws -> TestSpec
  ) throws -> TestList {
    let ext = (path as NSString).pathExtension.lowercased()
    // A vars CSV (a million rows, say) is read as a stream: checked now, its rows read as cases are made.
    if ext == "csv" { return try CSVTests.rows(path: path, requestedAt: location) }
    // JSONL is read a line at a time; a file of plain vars lines is streamed as a CSV is (see ``JSONLTests``).
    if ext == "jsonl" { return try JSONLTests.tests(path: path, requestedAt: location, test: test) }
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
    default:
      throw Diagnostic(
        "unsupported tests file '\((path as NSString).lastPathComponent)'; use .yaml, .json, .jsonl or .csv",
        at: location)
    }
  }
}
