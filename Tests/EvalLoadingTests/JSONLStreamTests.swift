import EvalCore
import Foundation
import Testing

@testable import EvalLoading

/// A JSONL tests file read a line at a time (``TextLineReader``, ``JSONLTests``): a file of plain vars lines is
/// streamed (``JSONLTestRows``) and must make the very cases the same lines held in memory make; any other file
/// is held as before; every error keeps its `file:line:col`.
struct JSONLStreamTests {
  /// Plain vars files: a byte order mark, CRLF, blank and white lines, no last line feed, escapes and text
  /// beyond ASCII (a combining mark first in a value, CJK, an emoji, U+2028), values that are not strings.
  static let texts = [
    #"{"q": "first", "n": "1"}"# + "\n" + #"{"q": "second", "n": "2"}"# + "\n",
    "\u{FEFF}" + #"{"q": "a", "n": 1}"# + "\r\n\r\n  \t\r\n" + #"{"n": 2.50, "q": "b"}"# + "\r\n",
    #"{"q": "ünïcödé ✓ \u0301x 日本語 🧪", "n": "\u2028"}"# + "\n" + #"{"n": "x\ny", "q": "say \"hi\""}"#,
    #"{"q": {"a": [1, null]}, "n": [{"k": true}]}"# + "\n\n" + #"{"q": [], "n": null}"# + "\n",
    "\n\n" + #"  {"q":"\u00e9","n":"e\u0301"}"# + "\n",
  ]

  static func suite(_ text: String, dir: URL? = nil) throws -> (Suite, URL) {
    let dir = try dir ?? SuiteLoaderTests.write(["t.jsonl": ""])
    try Data(text.utf8).write(to: dir.appendingPathComponent("t.jsonl"))
    try "prompts: ['Q: {{ q }} {{ n }}']\nproviders: [echo]\ntests: file://t.jsonl\n".write(
      to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
    return (try SuiteLoader(project: ProjectConfig()).load(file: dir.appendingPathComponent("s.yaml").path).suite, dir)
  }

  /// The tests of `text` held in memory (whole tests are not expected here).
  static func held(_ text: String, path: String) throws -> [TestSpec] {
    try JSONLTests.read(text, path: path) { node in
      Issue.record("a whole test at \(node.location)")
      return TestSpec(location: node.location)
    }
  }

  @Test(arguments: texts)
  func streamedLinesMakeTheCasesOfHeldLines(text: String) throws {
    let (suite, dir) = try Self.suite(text)
    #expect(suite.tests.hasStreamedRows)
    var held = suite
    held.tests = TestList(try Self.held(text, path: dir.appendingPathComponent("t.jsonl").path))
    let expansion = Expansion(renderer: TemplateRenderer())
    let streamed = try expansion.cases(for: suite)
    let reference = try expansion.cases(for: held)
    #expect(suite.tests.count == held.tests.count && suite.tests.count == 2 - (text.hasPrefix("\n") ? 1 : 0))
    #expect(streamed.count == reference.count && !streamed.isEmpty)
    for (a, b) in zip(streamed, reference) {
      #expect(a.id == b.id && a.vars == b.vars && a.title == b.title)
      #expect(a.location == b.location && a.messages == b.messages)
    }
    // Walked twice, the lines are read again and give the same cases.
    #expect(try expansion.cases(for: suite).map(\.id) == streamed.map(\.id))
  }

  @Test(arguments: texts)
  func everyBlockSizeReadsTheSameLines(text: String) throws {
    let dir = try SuiteLoaderTests.write(["t.jsonl": text])
    let path = dir.appendingPathComponent("t.jsonl").path
    let reference = try Self.held(text, path: path)
    for size in [1, 2, 3, 5, 7, 64] {
      let rows = try #require(
        try JSONLTestRows(path: path, requestedAt: SourceLocation(file: "s.yaml"), blockSize: size))
      #expect(rows.facts.count == reference.count)
      let read = try Array(rows.makeRowIterator()).map { try $0.get() }
      #expect(read == reference, "block size \(size)")
    }
  }

  @Test func valuesAndLinesArriveAsWritten() throws {
    let (suite, _) = try Self.suite(Self.texts[1])
    let tests = Array(suite.tests)
    // The carriage return before each line feed is whitespace, the byte order mark is gone, numbers are as written.
    #expect(tests.map(\.vars) == [["q": .string("a"), "n": .number(1)], ["q": .string("b"), "n": .number(2.5)]])
    #expect(tests.map(\.location.line) == [1, 4])
    #expect(tests.map(\.location.column) == [1, 1])
    let (unicode, _) = try Self.suite(Self.texts[2])
    let values = Array(unicode.tests).map { $0.vars["q"]?.stringValue.map { Array($0.utf8) } }
    #expect(values == [Array("ünïcödé ✓ \u{301}x 日本語 🧪".utf8), Array("say \"hi\"".utf8)])
    #expect(Array(unicode.tests).map { $0.vars["n"] } == [.string("\u{2028}"), .string("x\ny")])
    let (composed, _) = try Self.suite(Self.texts[4])
    let only = try #require(Array(composed.tests).first)
    // Canonically equal, but each kept byte for byte.
    #expect(only.vars["q"]?.stringValue.map { Array($0.utf8) } == [0xC3, 0xA9])
    #expect(only.vars["n"]?.stringValue.map { Array($0.utf8) } == [0x65, 0xCC, 0x81])
    #expect(only.location.line == 3 && only.location.column == 3)
  }

  @Test func aBadLineDeepInTheFileIsALocatedErrorAtLoad() throws {
    func lines(_ n: Int, bad: Int, _ line: String) -> String {
      (1...n).map { $0 == bad ? line : #"{"q": "topic \#($0)", "n": "\#($0)"}"# }.joined(separator: "\n") + "\n"
    }
    let notObject = try #require(throws: Diagnostic.self) { try Self.suite(lines(30_000, bad: 27_001, "  \t[1, 2]")) }
    #expect(notObject.message == "each JSONL line must be a JSON object")
    #expect(notObject.location?.file.hasSuffix("t.jsonl") == true)
    #expect(notObject.location?.line == 27_001 && notObject.location?.column == 4)
    let comma = try #require(throws: Diagnostic.self) { try Self.suite(lines(20_000, bad: 19_999, #"{"q": "a",}"#)) }
    #expect(comma.message == "JSON syntax: trailing comma before '}'")
    #expect(comma.location?.line == 19_999 && comma.location?.column == 11)
  }

  @Test func aLineThatIsNotUTF8IsLocatedAsAWholeFileCheckLocatesIt() throws {
    let dir = try SuiteLoaderTests.write(["t.jsonl": ""])
    let path = dir.appendingPathComponent("t.jsonl").path
    for bytes in [
      Array(#"{"q": "a", "n": "1"}"#.utf8) + [0x0A] + Array(#"{"q": "é"#.utf8) + [0xFF] + Array(#"", "n": "2"}"#.utf8),
      [0xEF, 0xBB, 0xBF] + Array(#"{"q": ""#.utf8) + [0xC3, 0x28] + Array(#"", "n": "2"}"#.utf8) + [0x0A],
    ] {
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let whole = try #require(throws: Diagnostic.self) { try FileSource.text(path) }
      let streamed = try #require(throws: Diagnostic.self) {
        try JSONLTests.tests(path: path, requestedAt: SourceLocation(file: "s.yaml")) {
          TestSpec(location: $0.location)
        }
      }
      #expect(streamed == whole)
      #expect(streamed.message.hasPrefix("the file is not valid UTF-8"))
    }
    let first = try #require(throws: Diagnostic.self) {
      var reader = TextLineReader(bytes: Array(#"{"q": "é"#.utf8) + [0xFF], path: "x.jsonl")
      _ = try reader.next()
    }
    #expect(first.location == SourceLocation(file: "x.jsonl", line: 1, column: 10))
  }

  @Test func linesAndTheirNumbers() throws {
    func lines(_ text: [UInt8], limit: Int = FileSource.maxLineBytes) throws -> [String] {
      var reader = TextLineReader(bytes: text, path: "x")
      reader.maxLineBytes = limit
      var out: [String] = []
      while let line = try reader.next() { out.append("\(line.number):\(line.text)") }
      return out
    }
    #expect(try lines(Array("a\nb\r\n\nc".utf8)) == ["1:a", "2:b\r", "3:", "4:c"])
    #expect(try lines(Array("a\n".utf8)) == ["1:a"])
    #expect(try lines([]) == [])
    #expect(try lines(Array("\n".utf8)) == ["1:"])
    // A byte order mark is dropped at the start of the text only.
    #expect(try lines([0xEF, 0xBB, 0xBF, 0x61, 0x0A, 0xEF, 0xBB, 0xBF, 0x62]) == ["1:a", "2:\u{FEFF}b"])
    let long = try #require(throws: Diagnostic.self) { try lines(Array("ok\n0123456789A\nok".utf8), limit: 10) }
    #expect(long.location?.line == 2 && long.message.hasPrefix("a line longer than"))
    #expect(try lines(Array("ok\n0123456789\nok".utf8), limit: 10).count == 3)
  }

  @Test func aFileThatIsNotPlainIsHeldAsBefore() throws {
    let cases = [
      // A whole test on one line.
      #"{"q": "a", "n": "1"}"# + "\n" + #"{"vars": {"q": "b", "n": "2"}, "description": "whole"}"# + "\n",
      // Lines that set different names.
      #"{"q": "a", "n": "1"}"# + "\n" + #"{"q": "b"}"# + "\n",
      // A list that expands into two cases.
      #"{"q": "a", "n": "1"}"# + "\n" + #"{"q": ["b", "c"], "n": "2"}"# + "\n",
    ]
    for (i, text) in cases.enumerated() {
      let (suite, _) = try Self.suite(text)
      #expect(!suite.tests.hasStreamedRows, "case \(i)")
      #expect(suite.tests.count == 2)
    }
    let (whole, _) = try Self.suite(cases[0])
    #expect(Array(whole.tests).map(\.description) == [nil, "whole"])
    let (expanding, _) = try Self.suite(cases[2])
    #expect(try Expansion(renderer: TemplateRenderer()).cases(for: expanding).count == 3)
    let dir = try SuiteLoaderTests.write(["empty.jsonl": "\n \r\n"])
    let empty = try JSONLTests.tests(
      path: dir.appendingPathComponent("empty.jsonl").path, requestedAt: SourceLocation(file: "s.yaml")
    ) { TestSpec(location: $0.location) }
    #expect(empty.isEmpty && !empty.hasStreamedRows)
  }

  @Test func aFileChangedAfterItsCheckEndsTheWalkWithALocatedProblem() throws {
    let (suite, dir) = try Self.suite(#"{"q": "a", "n": "1"}"# + "\n" + #"{"q": "b", "n": "2"}"# + "\n")
    try (#"{"q": "a", "n": "1"}"# + "\n" + #"{"q": "b"}"# + "\n").write(
      to: dir.appendingPathComponent("t.jsonl"), atomically: true, encoding: .utf8)
    let error = try #require(throws: DiagnosticList.self) {
      try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    }
    #expect(error.diagnostics.map(\.location?.line) == [2])
    #expect(error.diagnostics.first?.message.contains("changed after it was checked") == true)
  }
}
