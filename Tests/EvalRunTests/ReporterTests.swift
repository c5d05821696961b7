import EvalCore
import EvalReports
import EvalRun
import Foundation
import Synchronization
import Testing

/// Results flow once through the reporters: each case to every reporter as it finishes, each reporter's kept
/// pieces back to it at the end, in report order.
struct ReporterTests {
  /// A reporter that records what it is handed; `keeps` makes it keep a piece per case, `failing` makes it
  /// throw for that case.
  final class Recording: Reporter {
    let artifact: String
    let keepsCasePieces: Bool
    let failing: String?
    let seen = Mutex<[(id: String, carried: Bool, line: Bool)]>([])
    let finished = Mutex<[(id: String, piece: String?, line: Bool)]>([])

    init(_ artifact: String, keeps: Bool, failing: String? = nil) {
      self.artifact = artifact
      keepsCasePieces = keeps
      self.failing = failing
    }

    struct Refused: Error {}

    func caseFinished(_ finished: FinishedCase) throws -> [UInt8]? {
      let id = finished.result.id.rawValue
      seen.withLock { $0.append((id, finished.carried, finished.line != nil)) }
      if id == failing { throw Refused() }
      return keepsCasePieces ? Array("\(artifact):\(id)".utf8) : nil
    }

    func finish(_ run: FinishedRun) async throws {
      let read = run.report.cases.map { c in
        (c.id.rawValue, run.piece(c.id).map { String(decoding: $0, as: UTF8.self) }, run.line(c.id) != nil)
      }
      finished.withLock { $0 = read }
    }
  }

  static func result(_ n: Int) -> CaseResult {
    CanaryRunTests.result(String(format: "%016x", 0xfeed_0000 + n), n % 7 == 3 ? .failed : .passed)
  }

  static func report(_ cases: CaseList) -> RunReport {
    RunReport(
      tool: .init(name: "evalgate", version: "test"), startedAt: Date(timeIntervalSince1970: 0),
      finishedAt: Date(timeIntervalSince1970: 1), interrupted: false,
      settings: .init(concurrency: 1, timeoutMs: 1000), suites: [], cases: cases, gate: Gate())
  }

  @Test func everyReporterSeesEachCaseOnceAndGetsItsOwnPiecesBackInReportOrder() async throws {
    let dir = try RunExecutorTests.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let keeper = Recording("a", keeps: true)
    let plain = Recording("b", keeps: false)
    let other = Recording("c", keeps: true)
    let lines = ResultsLinesReporter(path: dir + "/results.jsonl")
    let stream = ResultsStream(reporters: [keeper, plain, lines, other], scratch: dir, compact: true)
    // Finished out of report order; the first five carried from an earlier run.
    let results = (0..<40).reversed().map(Self.result)
    for r in results.prefix(5) { await stream.carry(r, line: try JSONReport.line(r)) }
    for r in results.dropFirst(5) {
      await stream.append(r)
      await stream.collect(r)
    }
    #expect(await stream.failure == nil)
    let cases = await stream.casesInReportOrder()
    // Every passing case had all its pieces kept: held compacted.
    #expect(cases.isPacked)
    try await stream.finisher().finish(Self.report(cases), outputDir: dir)

    for reporter in [keeper, plain, other] {
      let seen = reporter.seen.withLock { $0 }
      #expect(seen.map(\.id) == results.map(\.id.rawValue))
      #expect(seen.map(\.carried) == results.indices.map { $0 < 5 })
      #expect(seen.allSatisfy { $0.line })
      let finished = reporter.finished.withLock { $0 }
      #expect(finished.map(\.id) == cases.map(\.id.rawValue))
      #expect(finished.allSatisfy { $0.line })
      #expect(
        finished.map(\.piece) == finished.map { reporter.keepsCasePieces ? "\(reporter.artifact):\($0.id)" : nil })
    }
    // results.jsonl holds the run's own cases (the carried ones were in the file it started from).
    let written = try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(written.count == 35)
  }

  @Test func aBatchTakenAtOnceIsWrittenAndKeptAsCaseByCase() async throws {
    let results = (0..<30).reversed().map(Self.result)
    // One case by one, and in three batches whose last cases are collected in the next batch.
    var artifacts: [[String: Data]] = []
    for batched in [false, true] {
      let dir = try RunExecutorTests.folder()
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let reporters = RunReporters.standard(outputDir: dir, junit: JUnitReport(profile: .rich, hostname: "h"))
      let stream = ResultsStream(reporters: reporters, scratch: dir, compact: true)
      if batched {
        var late: [CaseResult] = []
        for chunk in stride(from: 0, to: results.count, by: 10).map({ Array(results[$0..<$0 + 10]) }) {
          await stream.take(finished: chunk, collected: late + chunk.dropLast())
          late = [chunk[chunk.count - 1]]
          // Each batch's lines are in results.jsonl once it is taken.
          let lines = try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8).split(separator: "\n")
          #expect(lines.count == results.firstIndex { $0.id == chunk[chunk.count - 1].id }! + 1)
        }
        await stream.take(finished: [], collected: late)
      } else {
        for r in results {
          await stream.append(r)
          await stream.collect(r)
        }
      }
      #expect(await stream.failure == nil)
      let cases = await stream.casesInReportOrder()
      #expect(cases.isPacked)
      try await stream.finisher().finish(Self.report(cases), outputDir: dir)
      var files: [String: Data] = [:]
      for name in try FileManager.default.contentsOfDirectory(atPath: dir) where !name.hasPrefix(".") {
        files[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
      }
      artifacts.append(files)
    }
    #expect(artifacts[0].keys.sorted() == artifacts[1].keys.sorted())
    for (name, bytes) in artifacts[0] { #expect(artifacts[1][name] == bytes, "\(name) differs") }
  }

  @Test func aLargeRunsPassingRowsAreRenderedOnlyWhereThePageShowsThem() async throws {
    let dir = try RunExecutorTests.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // A page that shows every case up to 10, then every failure and 2 of the passing cases; from 40 cases, the
    // passing rows are left to the end.
    var page = HTMLReport()
    page.caseLimit = 10
    page.passingSample = 2
    let html = HTMLReporter(page: page, expectedCases: 40)
    #expect(html.lateRowsFrom == 40)
    let passing = FinishedCase(result: Self.result(0), line: nil)
    #expect(try HTMLReporter(page: page, expectedCases: 39).caseFinished(passing)?.isEmpty == false)
    #expect(try html.caseFinished(passing)?.isEmpty == true)
    let stream = ResultsStream(
      reporters: [ResultsLinesReporter(path: dir + "/results.jsonl"), html], scratch: dir, compact: true)
    let results = (0..<40).reversed().map { n in
      var r = Self.result(n)
      r.attempts[0].output = "answer <\(n)> & more"
      return r
    }
    for r in results {
      await stream.append(r)
      await stream.collect(r)
    }
    // No row was rendered for a passing case, and each is still held compacted; each failure has its row.
    let fragments = await stream.fragments
    for r in results {
      let row = try #require(fragments.piece(0, of: r.id))
      #expect(row.isEmpty == (r.outcome == .passed))
    }
    let cases = await stream.casesInReportOrder()
    #expect(cases.isPacked)
    try await stream.finisher().finish(Self.report(cases), outputDir: dir)
    // The page is the one rendered from the whole results: the sampled passing rows read back with their outputs.
    var whole = CaseList.Builder()
    for r in results { whole.append(r, compact: false) }
    whole.sortInReportOrder(suiteOrder: [:])
    let expected = page.render(Self.report(whole.take()))
    #expect(expected.contains("answer &lt;0&gt; &amp; more"))
    #expect(try String(contentsOfFile: dir + "/report.html", encoding: .utf8) == expected)
  }

  @Test func aReporterThatFailsIsNamedAndTheCaseStaysWholeForTheOthers() async throws {
    let dir = try RunExecutorTests.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let refused = Self.result(8)
    let failing = Recording("broken.xml", keeps: true, failing: refused.id.rawValue)
    let keeper = Recording("a", keeps: true)
    let stream = ResultsStream(reporters: [failing, keeper], scratch: dir, compact: true)
    for r in (0..<12).map(Self.result) {
      await stream.append(r)
      await stream.collect(r)
    }
    #expect(await stream.failure?.hasPrefix("cannot write broken.xml:") == true)
    let cases = await stream.casesInReportOrder()
    // The refused case was not compacted: its output is still there for the artifacts that render it.
    #expect(cases.first { $0.id == refused.id }?.attempts.first?.output == "x")
    #expect(cases.first { $0.id == Self.result(9).id }?.attempts.first?.output == nil)
    try await stream.finisher().finish(Self.report(cases), outputDir: dir)
    let finished = failing.finished.withLock { $0 }
    #expect(finished.first { $0.id == refused.id.rawValue }?.piece == nil)
    #expect(keeper.finished.withLock { $0 }.allSatisfy { $0.piece != nil })
  }

  @Test func theFinisherWritesEveryStandardArtifact() async throws {
    let dir = try RunExecutorTests.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let reporters = RunReporters.standard(outputDir: dir, junit: JUnitReport(profile: .rich, hostname: "h"))
    let stream = ResultsStream(reporters: reporters, scratch: dir, compact: true)
    for r in (0..<20).map(Self.result) {
      await stream.append(r)
      await stream.collect(r)
    }
    var builder = await stream.takeResults()
    builder.sortInReportOrder(suiteOrder: [:])
    let report = Self.report(builder.take())
    try await stream.finisher().finish(report, outputDir: dir)
    let names = try Set(FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") })
    #expect(names == Set(reporters.map(\.artifact)))
    // The same bytes as each report rendered at once from the whole results (the run held them compacted).
    var whole = CaseList.Builder()
    for r in (0..<20).map(Self.result) { whole.append(r, compact: false) }
    whole.sortInReportOrder(suiteOrder: [:])
    let wholeReport = Self.report(whole.take())
    try ArtifactsOnDisk.expectRendered(from: wholeReport, in: dir)
  }

  /// A reporter that records the trends it was finished with.
  final class TrendReading: Reporter {
    let artifact: String
    let readsTrends: Bool
    let given = Mutex<[SuiteTrend]?>(nil)

    init(_ artifact: String, reads: Bool) {
      self.artifact = artifact
      readsTrends = reads
    }

    func finish(_ run: FinishedRun) async throws { given.withLock { $0 = run.trends } }
  }

  @Test func trendsAreMadeOnceAndOnlyWhenAReporterShowsThem() async throws {
    let report = Self.report(CaseList((0..<3).map(Self.result)))
    let trend = SuiteTrend(
      suite: "s",
      points: [.init(runID: "r", startedAt: Date(), passRate: 1, meanScore: nil, latencyP50Ms: 5, latencyP95Ms: 9)])
    let made = Mutex(0)
    let plain = TrendReading("junit.xml", reads: false)
    let (html, summary) = (TrendReading("report.html", reads: true), TrendReading("summary.md", reads: true))
    try await ReportFinisher(reporters: [html, plain, summary]).finish(report, outputDir: "/unused") {
      made.withLock { $0 += 1 }
      return [trend]
    }
    #expect(made.withLock { $0 } == 1)
    #expect(html.given.withLock { $0 } == [trend] && summary.given.withLock { $0 } == [trend])
    #expect(plain.given.withLock { $0 } == [])

    let alone = TrendReading("results.json", reads: false)
    try await ReportFinisher(reporters: [alone]).finish(report, outputDir: "/unused") {
      made.withLock { $0 += 1 }
      return [trend]
    }
    #expect(made.withLock { $0 } == 1, "no reporter shows trends: none are made")
    #expect(alone.given.withLock { $0 } == [])
  }

  @Test func aResultsFileThatCannotBeOpenedIsSaidOnceAndPlainly() async throws {
    let dir = try RunExecutorTests.folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/missing-folder/results.jsonl"
    let stream = ResultsStream(reporters: [ResultsLinesReporter(path: path)], scratch: dir)
    for r in (0..<3).map(Self.result) { await stream.append(r) }
    #expect(await stream.failure == "cannot write results.jsonl: cannot open \(path) for writing")
  }
}

extension ResultsStream {
  /// The results kept so far, taken and put in report order (suites unordered).
  func casesInReportOrder() async -> CaseList {
    var builder = takeResults()
    builder.sortInReportOrder(suiteOrder: [:])
    return builder.take()
  }
}
