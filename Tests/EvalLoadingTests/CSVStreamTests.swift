import EvalCore
import Foundation
import Testing

@testable import EvalLoading

/// A vars CSV read as a stream (``CSVTestRows``): checked once when the suite loads, then read again a block
/// at a time whenever the tests are walked. The streamed rows must make the very cases the rows held in
/// memory make (ids, vars, titles, locations, order), whatever the block boundaries split.
struct CSVStreamTests {
  /// CSVs with quoting, embedded line breaks, a byte order mark, CRLF and lone CR, blank and empty trailing
  /// lines, and text beyond ASCII.
  static let texts = [
    "q,n\nfirst,1\nsecond,2\n",
    "\u{FEFF}q,n\r\n\"a, quoted\",1\r\n\"multi\nline\r\nwith CRLF and lone\rCR\",2\r\n",
    "q,n\n\"say \"\"hi\"\"\",\"\"\n\n,\nlast,3\n\n\n",
    "q,__description,__id\nünïcödé ✓,dé,\n\u{301}x,,row-2\n日本語,,\n",
    "q,n\rone,1\rtwo,2",
    "q,n\n\"\",\"\"\nx,\"\"\"\"\n",
  ]

  static func suite(_ text: String, dir: URL? = nil) throws -> (Suite, URL) {
    let dir = try dir ?? SuiteLoaderTests.write(["t.csv": ""])
    try Data(text.utf8).write(to: dir.appendingPathComponent("t.csv"))
    try "prompts: ['Q: {{ q }}']\nproviders: [echo]\ntests: file://t.csv\n".write(
      to: dir.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
    return (try SuiteLoader(project: ProjectConfig()).load(file: dir.appendingPathComponent("s.yaml").path).suite, dir)
  }

  @Test(arguments: texts)
  func streamedRowsMakeTheCasesOfHeldRows(text: String) throws {
    let (suite, dir) = try Self.suite(text)
    #expect(suite.tests.hasStreamedRows)
    var held = suite
    held.tests = TestList(try CSVTests.read(text, path: dir.appendingPathComponent("t.csv").path))
    #expect(!held.tests.hasStreamedRows)
    let expansion = Expansion(renderer: TemplateRenderer())
    let streamed = try expansion.cases(for: suite)
    let reference = try expansion.cases(for: held)
    #expect(suite.tests.count == held.tests.count)
    #expect(streamed.count == reference.count && !streamed.isEmpty)
    for (a, b) in zip(streamed, reference) {
      #expect(a.id == b.id)
      #expect(a.vars == b.vars)
      #expect(a.title == b.title && a.location == b.location && a.messages == b.messages)
    }
    // Walked twice, the rows are read again and give the same cases.
    #expect(try expansion.cases(for: suite).map(\.id) == streamed.map(\.id))
  }

  @Test(arguments: texts)
  func everyBlockSizeReadsTheSameRows(text: String) throws {
    let dir = try SuiteLoaderTests.write(["t.csv": text])
    let path = dir.appendingPathComponent("t.csv").path
    let reference = try CSVTests.read(text, path: path)
    var rows = try CSVTestRows(path: path, requestedAt: SourceLocation(file: "s.yaml", line: 3, column: 8))
    #expect(rows.facts.count == reference.count)
    for size in [1, 2, 3, 5, 7, 64] {
      rows.blockSize = size
      let read = try Array(rows.makeRowIterator()).map { try $0.get() }
      #expect(read == reference, "block size \(size)")
    }
  }

  @Test func rowsKeepTheirValuesAndLines() throws {
    let (suite, _) = try Self.suite(Self.texts[1])
    let tests = Array(suite.tests)
    #expect(tests.map { $0.vars["q"]?.stringValue } == ["a, quoted", "multi\nline\r\nwith CRLF and lone\rCR"])
    #expect(tests.map(\.location.line) == [2, 3])
    let (unicode, _) = try Self.suite(Self.texts[3])
    #expect(
      Array(unicode.tests).map { $0.vars["q"]?.stringValue.map { Array($0.utf8) } } == [
        Array("ünïcödé ✓".utf8), Array("\u{301}x".utf8), Array("日本語".utf8),
      ])
    #expect(Array(unicode.tests).map(\.id) == [nil, "row-2", nil])
    #expect(unicode.tests.varNames(mergedWith: nil) == ["q"])
  }

  @Test func aBadRowDeepInTheFileIsALocatedErrorAtLoad() throws {
    var text = "q,n\n"
    for i in 1...30_000 { text += i == 27_000 ? "bad,row,here\n" : "topic \(i),\(i)\n" }
    let error = try #require(throws: Diagnostic.self) { try Self.suite(text) }
    #expect(error.location?.file.hasSuffix("t.csv") == true)
    #expect(error.location?.line == 27_001)
    #expect(error.message == "row has 3 fields, header has 2")
    var threshold = "q,__threshold\n"
    for i in 1...20_000 { threshold += "t\(i),\(i == 19_999 ? "high" : "0.5")\n" }
    let bad = try #require(throws: Diagnostic.self) { try Self.suite(threshold) }
    #expect(bad.location?.line == 20_000 && bad.message == "'__threshold' must be a number")
  }

  @Test func aFileChangedAfterItsCheckEndsTheWalkWithALocatedProblem() throws {
    let (suite, dir) = try Self.suite("q,n\na,1\nb,2\n")
    try "q,n\na,1\nb,2,3\n".write(to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
    let error = try #require(throws: DiagnosticList.self) {
      try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    }
    #expect(error.diagnostics.map(\.location?.line) == [3])
    #expect(error.diagnostics.first?.message.contains("changed after it was checked") == true)
  }

  @Test func sizeAndDefaultTestMergeAsForHeldRows() throws {
    let dir = try SuiteLoaderTests.write([
      "t.csv": "q,__expected\nalpha,contains:a\nbeta,grade:is it b\n",
      "s.yaml": """
      prompts: ['{{ q }} {{ extra }} {{ lang }}']
      providers: [echo]
      repeat: 2
      tags: [nightly]
      defaultTest:
        vars: { extra: x, lang: [en, fr] }
        assert: [{ type: icontains, value: "{{ q }}" }]
      tests: file://t.csv

      """,
    ])
    let suite = try SuiteLoader(project: ProjectConfig()).load(file: dir.appendingPathComponent("s.yaml").path).suite
    var held = suite
    held.tests = TestList(Array(suite.tests))
    let expansion = Expansion(renderer: TemplateRenderer())
    #expect(expansion.size(of: suite) == expansion.size(of: held))
    #expect(expansion.size(of: suite).cases == 4 && expansion.size(of: suite).samples == 8)
    let (graded, note) = DefaultGrader.apply(to: suite, environment: [:])
    let (gradedHeld, heldNote) = DefaultGrader.apply(to: held, environment: [:])
    #expect(note != nil && note == heldNote)
    #expect(Set(graded.judges.map(\.key)) == Set(gradedHeld.judges.map(\.key)))
    let streamed = try expansion.cases(for: graded)
    let reference = try expansion.cases(for: gradedHeld)
    #expect(streamed.map(\.id) == reference.map(\.id) && streamed.count == 4)
    #expect(streamed.map(\.tags) == reference.map(\.tags) && streamed.allSatisfy { $0.tags == ["nightly"] })
  }
}
