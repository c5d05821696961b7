import EvalCore
import Foundation

/// Tests from a JSONL file: one JSON object per line, either a whole test (it has a test key such as `vars`,
/// `assert` or `description`) or the vars of one (any other object); blank lines are skipped. Lines end at
/// line feeds (a carriage return before one is whitespace); a byte order mark at the start is dropped.
///
/// The file is read a line at a time, never whole. A file of vars lines that all set the same names, none
/// to a list of values (a plain file: see ``TestRows``), is streamed (``JSONLTestRows``): checked now, read
/// again as cases are made, so a million lines cost one line of memory. Any other file (a whole test on some
/// line, lines with different names, a list that expands) is read into held tests, as a YAML file is.
enum JSONLTests {
  /// What one line holds.
  enum Line {
    /// A line of vars only, as a test.
    case vars(TestSpec)
    /// A whole test, for the suite's test reader.
    case test(YAMLNode)
  }

  /// The tests of the JSONL file at `path`: streamed rows for a plain file, held tests otherwise (whole tests
  /// read with `test`).
  /// - Throws: ``Diagnostic`` for a file that cannot be read, at the first line that is not UTF-8 or not a JSON
  ///   object, or the first error of a whole test.
  static func tests(
    path: String, requestedAt location: SourceLocation, test: (YAMLNode) throws -> TestSpec
  ) throws -> TestList {
    try FileSource.checkReadable(path, requestedAt: location)
    if let rows = try JSONLTestRows(path: path, requestedAt: location) {
      return rows.facts.count == 0 ? TestList() : TestList(rows: rows)
    }
    var reader = try TextLineReader(file: path, requestedAt: location)
    return TestList(try held(&reader, path: path, test: test))
  }

  /// Every test of a JSONL text, held (whole tests read with `test`).
  /// - Throws: ``Diagnostic`` at the first bad line.
  static func read(_ text: String, path: String, test: (YAMLNode) throws -> TestSpec) throws -> [TestSpec] {
    var reader = TextLineReader(bytes: Array(text.utf8), path: path)
    return try held(&reader, path: path, test: test)
  }

  private static func held(
    _ reader: inout TextLineReader, path: String, test: (YAMLNode) throws -> TestSpec
  ) throws -> [TestSpec] {
    var tests: [TestSpec] = []
    while let line = try reader.next() {
      switch try read(line, path: path) {
      case nil: continue
      case .vars(let spec): tests.append(spec)
      case .test(let node): tests.append(try test(node))
      }
    }
    return tests
  }

  /// What `line` holds; `nil` for a blank line.
  /// - Throws: ``Diagnostic`` at the line for text that is not a JSON object, or at its first syntax error.
  static func read(_ line: TextLineReader.Line, path: String) throws -> Line? {
    let utf8 = line.text.utf8
    let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    guard let first = utf8.firstIndex(where: { !isSpace($0) }) else { return nil }
    guard utf8[first] == UInt8(ascii: "{") else {
      // Only spaces, tabs and carriage returns come before: a column in bytes is one in characters.
      throw Diagnostic(
        "each JSONL line must be a JSON object",
        at: SourceLocation(file: path, line: line.number, column: utf8.distance(from: utf8.startIndex, to: first) + 1))
    }
    let node = try LocatedJSON.parse(line.text, file: path, lineOffset: line.number - 1)
    let m = try node.mapping("a JSONL test")
    if m.entries.contains(where: { SuiteLoader.testKeys.contains($0.key) && $0.key != "tags" }) {
      return .test(node)
    }
    return .vars(TestSpec(vars: try node.stringMap("a JSONL test"), location: node.location))
  }
}
