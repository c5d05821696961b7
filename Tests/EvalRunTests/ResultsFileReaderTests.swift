import EvalCore
import EvalReports
import EvalRun
import Foundation
import Testing

/// `evalgate merge` reads a shard's results.json a case at a time: every case comes back whole, in order,
/// whatever its strings hold, and the rest of the report with it.
struct ResultsFileReaderTests {
  /// A report whose cases' strings hold what a scanner trips on: quotes, escapes, braces, brackets, a
  /// `"cases":[` of their own, Unicode, and one output longer than the 1 MB the file is read in.
  static func report() -> RunReport {
    let hostile = [
      #"{"cases":[1,2]}"#, "\"quoted\" \\ back\\slash \\\"", "}]}]", "[{", "naïve 日本語 🤖", "\u{0}\u{1f}", "",
      String(repeating: "{[\"", count: 400_000),
    ]
    let cases = RunExecutorTests.cases(hostile.count * 3).enumerated().map { i, c -> CaseResult in
      var r = CaseResult(
        case: c,
        attempts: [
          AttemptResult(
            index: 0, outcome: i % 3 == 0 ? .failed : .passed, output: hostile[i % hostile.count], latencyMs: 1)
        ])
      r.title = hostile[(i + 1) % hostile.count]
      return r
    }
    let suite = Suite(id: "s", file: "s.yaml", prompts: [], providers: [], tests: [])
    return RunReport(
      tool: .init(name: "evalgate", version: "1"), startedAt: Date(timeIntervalSince1970: 0),
      finishedAt: Date(timeIntervalSince1970: 5), interrupted: false, settings: .init(concurrency: 2, timeoutMs: 100),
      suites: [suite], cases: cases, gate: Gate())
  }

  static func written(_ bytes: [UInt8]) throws -> String {
    let path = try RunExecutorTests.folder() + "/results.json"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  static func readAll(_ path: String) throws -> ([CaseResult], RunReport) {
    let reader = try ResultsFileReader(path: path)
    var cases: [CaseResult] = []
    while let bytes = try reader.nextCase() {
      cases.append(try JSONDecoder().decode(CaseResult.self, from: Data(bytes)))
    }
    return (cases, try reader.header())
  }

  @Test func everyCaseAndTheRestOfTheReportReadBack() throws {
    let report = Self.report()
    var bytes: [UInt8] = []
    try JSONReport.write(report, encodedCases: [:]) { bytes.append(contentsOf: $0) }
    let path = try Self.written(bytes)
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    let (cases, header) = try Self.readAll(path)
    #expect(cases == Array(report.cases))
    #expect(header.cases.isEmpty)
    #expect(header.summary == report.summary)
    #expect(header.suites.map(\.id) == ["s"])
    #expect(header.settings == report.settings)
  }

  @Test func aPrettyPrintedFileWithCasesAmongOtherKeysReadsTheSame() throws {
    let report = Self.report()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted]
    encoder.dateEncodingStrategy = .iso8601
    let path = try Self.written(Array(try encoder.encode(report)))
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    let (cases, header) = try Self.readAll(path)
    #expect(cases == Array(report.cases))
    #expect(header.summary == report.summary)
  }

  @Test func whatIsNotAResultsFileIsALocatedError() throws {
    for text in [#"{"suites":[]}"#, #"{"cases":[{"id":"#, #"{"cases":[1]}"#, "[]"] {
      let path = try Self.written(Array(text.utf8))
      defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
      #expect(throws: Diagnostic.self, "\(text)") { _ = try Self.readAll(path) }
      do {
        _ = try Self.readAll(path)
      } catch {
        #expect("\(error)".hasPrefix(path + ":1:1: error: cannot read results ("), "\(error)")
      }
    }
  }
}
