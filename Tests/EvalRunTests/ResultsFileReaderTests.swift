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

  /// `history import` reads a results.json a case at a time into its record's draft: the record is the one the
  /// whole file, decoded at once, gave (case bytes past the draft's megabyte in memory included), and so is its
  /// seal, whatever the order of the file's keys.
  @Test func aRecordReadACaseAtATimeIsTheRecordOfTheWholeFile() throws {
    let hostile = Self.report()
    let named = AssertionSpec(type: "contains", metric: "tone", location: SourceLocation(file: "s.yaml", line: 7))
    let outcomes: [Outcome] = [.passed, .failed, .errored, .skipped]
    let more = RunExecutorTests.cases(16_000).enumerated().map { i, c in
      let outcome = outcomes[i % 4]
      let attempt = AttemptResult(
        index: 0, outcome: outcome, model: outcome == .skipped ? nil : "m-\(i % 3)", latencyMs: Double(i) / 8,
        score: outcome == .passed ? 1 : nil,
        assertions: outcome == .passed
          ? [AssertionResult(spec: named, outcome: .init(pass: true, score: 0.75, reason: "ok"), children: [])] : [])
      return CaseResult(case: c, attempts: [attempt])
    }
    var report = RunReport(
      tool: hostile.tool, startedAt: hostile.startedAt, finishedAt: hostile.finishedAt, interrupted: false,
      settings: hostile.settings, suites: [Suite(id: "s", file: "s.yaml", prompts: [], providers: [], tests: [])],
      cases: CaseList(Array(hostile.cases) + more), gate: Gate())
    let ledger = ModelLedger()
    ledger.record(key: "judge", label: "judge", model: "j-1")
    report.graders = Array(ledger.snapshot.values)
    let pretty = JSONEncoder()
    pretty.outputFormatting = [.prettyPrinted]
    pretty.dateEncodingStrategy = .iso8601
    var compact: [UInt8] = []
    try JSONReport.write(report, encodedCases: [:]) { compact.append(contentsOf: $0) }
    let audit = AuditRecord(recordedAt: Date(timeIntervalSince1970: 9), toolVersion: "1", resultsSHA256: "abc")
    for bytes in [compact, Array(try pretty.encode(report))] {
      let path = try Self.written(bytes)
      defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
      // As `history import` made it before: the file decoded whole, its record drafted from the whole record.
      let whole = try BaselineStore.readResults(path)
      let before = RunRecordDraft(
        RunRecord(report: whole, id: "r-1", kind: .imported, exitCode: whole.decision?.exitCode, audit: audit))
      var draft = RunRecordDraft(gatheringModels: true)
      let header = try ResultsFileReader(path: path).readCases(into: &draft)
      #expect(draft.count == report.cases.count)
      #expect(draft.caseBytes > 1 << 20)
      draft.finish(report: header, id: "r-1", kind: .imported, exitCode: header.decision?.exitCode, audit: audit)
      #expect(try draft.encoded() == before.encoded())
      #expect(try draft.sealed(after: "f00d") == before.sealed(after: "f00d"))
      #expect(draft.header.audit.providers == ["echo": ["m-0", "m-1", "m-2"], "judge": ["j-1"]])
    }
  }
}
