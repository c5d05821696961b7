import EvalCore
import EvalLoading
import Foundation
import Testing

/// Test data files written by Python's json and csv writers load with every value byte for byte
/// (corpus and expected values: `scripts/json-corpus`).
struct TestFileCorpusTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Corpora/json")

  static func load(_ name: String) throws -> Suite {
    let dir = try SuiteLoaderTests.write([
      "suite.yaml": "prompts: [x]\nproviders: [echo]\ntests: file://\(corpus.appendingPathComponent(name).path)\n"
    ])
    return try SuiteLoader(project: ProjectConfig()).load(file: dir.appendingPathComponent("suite.yaml").path).suite
  }

  @Test(arguments: ["tests.jsonl", "tests.json", "tests.csv"])
  func valuesArriveByteForByte(name: String) throws {
    let expectedText = try String(contentsOf: Self.corpus.appendingPathComponent("expected.json"), encoding: .utf8)
    let expected = try #require(JSONValue.parse(expectedText)?.objectValue?["files"]?.objectValue?[name]?.arrayValue)
    let suite = try Self.load(name)
    #expect(suite.tests.count == expected.count)
    for (test, want) in zip(suite.tests, expected) {
      let wantVars = try #require(want.objectValue)
      #expect(JSONValue.object(test.vars) == .object(wantVars), "line \(test.location.line)")
      for (key, value) in wantVars {
        // String == compares canonically (é == e + U+0301); the bytes must match.
        if case .string(let s) = value {
          #expect(test.vars[key]?.stringValue.map { Array($0.utf8) } == Array(s.utf8), "\(key) at \(test.location)")
        }
      }
    }
  }

  @Test func jsonlFullTestsAndLinesAreLocated() throws {
    let suite = try Self.load("tests.jsonl")
    let full = try #require(Array(suite.tests).last)
    #expect(full.description == "full test")
    #expect(full.assertions.first?.value == .string("\u{2028}"))
    // Line 4 is blank (after a CRLF line), so test index 3 is on line 5.
    #expect(Array(suite.tests)[3].location.line == 5)
    #expect(Array(suite.tests)[3].location.column == 1)
  }

  @Test func csvRowsKeepTheLineTheyStartOn() throws {
    let suite = try Self.load("tests.csv")
    let lines = suite.tests.map(\.location.line)
    // The row with "multi\nline\r\nwith CRLF and lone\rCR" spans four lines.
    let multi = try #require(Array(suite.tests).firstIndex { $0.vars["text"]?.stringValue?.hasPrefix("multi") == true })
    #expect(lines[multi + 1] == lines[multi] + 4)
    #expect(Array(suite.tests)[0].description == "row 0")
  }

  @Test(arguments: [
    ("a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]]),
    ("a,b\n1,\n", [["a", "b"], ["1", ""]]),
    ("a\n\"x\"\"y\"\n", [["a"], ["x\"y"]]),
    ("a\nsay \"hi\"\n", [["a"], ["say \"hi\""]]),
    ("\u{FEFF}a,b\n1,2", [["a", "b"], ["1", "2"]]),
    ("a,b\n\"1\r\n2\",\"\"\n", [["a", "b"], ["1\r\n2", ""]]),
    ("a,b\n,\u{301}x\n", [["a", "b"], ["", "\u{301}x"]]),
    ("a\r1\r", [["a"], ["1"]]),
  ])
  func csvRecords(text: String, rows: [[String]]) throws {
    let dir = try SuiteLoaderTests.write([
      "s.yaml": "prompts: [x]\nproviders: [echo]\ntests: file://t.csv\n", "t.csv": text,
    ])
    let suite = try SuiteLoader(project: ProjectConfig()).load(file: dir.appendingPathComponent("s.yaml").path).suite
    let header = rows[0]
    #expect(suite.tests.count == rows.count - 1)
    for (test, row) in zip(suite.tests, rows.dropFirst()) {
      for (name, value) in zip(header, row) {
        #expect(test.vars[name]?.stringValue.map { Array($0.utf8) } == Array(value.utf8), "\(text.debugDescription)")
      }
    }
  }
}
