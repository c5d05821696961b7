import EvalCore
import Foundation
import Testing

@testable import EvalReports

/// The bless diff: what `baseline accept` writes, and when it leaves a file alone.
struct BaselinesBlessTests {
  static let first = Baselines.Provenance(
    tool: "evalgate 0.1.0", createdAt: "2026-01-01T00:00:00Z", source: "a/results.json (run started 1)",
    configHash: "c0")
  static let second = Baselines.Provenance(
    tool: "evalgate 0.2.0", createdAt: "2026-02-02T00:00:00Z", source: "b/results.json (run started 2)",
    configHash: "c0")

  /// `report` with every attempt's latency multiplied by `factor`.
  static func slower(_ report: RunReport, by factor: Double) -> RunReport {
    var report = report
    for i in report.cases.indices {
      for j in report.cases[i].attempts.indices { report.cases[i].attempts[j].latencyMs *= factor }
    }
    return report
  }

  /// Blesses `report` over `existing` (suite id → baseline).
  static func bless(
    _ report: RunReport, _ provenance: Baselines.Provenance, over existing: [String: Baseline] = [:],
    suites: [String] = []
  ) throws -> [Baselines.Blessing] {
    try Baselines.bless(
      report, suites: suites, resultsPath: "r.json", provenance: provenance, suiteHash: { "h:\($0)" },
      existing: { existing[$0] })
  }

  /// The baselines `blessings` wrote, parsed back, by suite id.
  static func files(_ blessings: [Baselines.Blessing]) throws -> [String: Baseline] {
    var out: [String: Baseline] = [:]
    for b in blessings {
      let bytes = try #require(b.bytes)
      out[b.suite] = try BaselineFile.parse(bytes, path: b.fileName)
    }
    return out
  }

  @Test func aFirstBlessCreatesAFilePerSuiteAndFixture() throws {
    let report = try ReportFixtures.withRetrieval()
    let blessings = try Self.bless(report, Self.first)
    #expect(blessings.map(\.suite) == ["support", "extract.v2", "faq"])
    #expect(blessings.map(\.fileName) == ["support.json", "extract.v2.json", "faq.json"])
    #expect(blessings.map(\.summary) == ["created with 3 cases", "created with 2 cases", "created with 3 cases"])
    let support = try #require(try Self.files(blessings)["support"])
    #expect(support.suiteHash == "h:suites/support.yaml")
    #expect(support.tool == "evalgate 0.1.0")
    #expect(support.cases.map(\.id) == report.records.filter { $0.suite == "support" }.map(\.id).sorted())
  }

  @Test func reBlessingWithOnlyOtherTimingsAndProvenanceWritesNothing() throws {
    let report = try ReportFixtures.withRetrieval()
    let old = try Self.files(try Self.bless(report, Self.first))
    let again = try Self.bless(Self.slower(report, by: 3.7), Self.second, over: old)
    #expect(again.allSatisfy { $0.bytes == nil })
    #expect(
      again.map(\.summary) == [
        "unchanged, 3 cases (only timings differ: file left as it was)",
        "unchanged, 2 cases (only timings differ: file left as it was)",
        "unchanged, 3 cases (only timings differ: file left as it was)",
      ])
  }

  @Test func aChangedOutcomeRewritesOnlyTheHeaderAndThatCasesLine() throws {
    let report = ReportFixtures.mixed()
    let firstBytes = try #require(try Self.bless(report, Self.first, suites: ["support"]).first?.bytes)
    let old = try BaselineFile.parse(firstBytes, path: "support.json")
    // Other latencies everywhere, and the passing case now fails.
    var changed = Self.slower(report, by: 2)
    let index = try #require(changed.cases.firstIndex { $0.title == "refund window" })
    changed.cases[index].attempts[0].outcome = .failed
    changed.cases[index].attempts[0].score = 0
    let blessing = try #require(try Self.bless(changed, Self.second, over: ["support": old], suites: ["support"]).first)
    #expect(blessing.summary == "3 cases; 0 added, 0 removed, 1 pass→fail, 0 fail→pass")
    let newBytes = try #require(blessing.bytes)
    let before = String(decoding: firstBytes, as: UTF8.self).split(separator: "\n")
    let after = String(decoding: newBytes, as: UTF8.self).split(separator: "\n")
    #expect(before.count == after.count)
    let differing = zip(before, after).filter { $0 != $1 }.map { String($0.1) }
    // The header's bless time, source and tool, and the one case whose outcome changed.
    #expect(differing.count == 4, "\(differing)")
    #expect(differing.contains { $0.hasPrefix("  \"createdAt\": \"2026-02-02") })
    #expect(differing.contains { $0.hasPrefix("  \"source\": \"b/results.json") })
    #expect(differing.contains { $0.hasPrefix("  \"tool\": \"evalgate 0.2.0\"") })
    #expect(differing.contains { $0.contains("\"refund window\"") && $0.contains("\"pass\":false") })
  }

  @Test func aChangedCostOrTokenCountIsNotATiming() throws {
    let report = ReportFixtures.mixed()
    let old = try Self.files(try Self.bless(report, Self.first))
    var changed = report
    let index = try #require(changed.cases.firstIndex { $0.title == "refund window" })
    changed.cases[index].attempts[0].usage = Usage(promptTokens: 11, completionTokens: 5)
    let blessings = try Self.bless(changed, Self.first, over: old)
    #expect(blessings.first { $0.suite == "support" }?.bytes != nil)
    #expect(blessings.first { $0.suite == "extract.v2" }?.bytes == nil)
  }

  @Test func anEditedSuiteFileRewritesTheHeader() throws {
    let report = ReportFixtures.mixed()
    let old = try Self.files(try Self.bless(report, Self.first))
    let blessings = try Baselines.bless(
      report, resultsPath: "r.json", provenance: Self.first, suiteHash: { "edited:\($0)" }, existing: { old[$0] })
    #expect(blessings.allSatisfy { $0.bytes != nil })
    #expect(blessings.map(\.summary).allSatisfy { $0.hasSuffix("0 added, 0 removed, 0 pass→fail, 0 fail→pass") })
  }

  @Test func anUnreadableOldFileIsReplacedAndSaysSo() throws {
    let blessings = try Baselines.bless(
      ReportFixtures.mixed(), suites: ["support"], resultsPath: "r.json", provenance: Self.first,
      suiteHash: { _ in nil }, existing: { _ in throw Diagnostic("not an evalgate baseline (not valid JSON)") })
    let blessing = try #require(blessings.first)
    #expect(blessing.change == .replacedUnreadable(cases: 3, reason: "not an evalgate baseline (not valid JSON)"))
    #expect(
      blessing.summary
        == "written with 3 cases over a file that was not a readable baseline (not an evalgate baseline (not valid JSON))"
    )
    #expect(try BaselineFile.parse(try #require(blessing.bytes), path: "x").cases.count == 3)
  }

  @Test func blessingASuiteTheRunLacksIsAnError() throws {
    #expect(throws: Diagnostic.self) { try Self.bless(ReportFixtures.mixed(), Self.first, suites: ["nope"]) }
    do {
      _ = try Self.bless(ReportFixtures.mixed(), Self.first, suites: ["nope"])
    } catch let d as Diagnostic {
      #expect(d.description.contains("r.json has no suite or retrieval fixture 'nope'"))
    }
  }

  @Test func aCaseWithOnlyANewLatencyKeepsItsOldRecord() {
    let id = CaseID(content: .string("x"))
    let old = CaseRecord(
      id: id, suite: "s", title: "x", provider: "p", file: "f", line: 1,
      samples: [.init(index: 0, pass: true, score: 1, latencyMs: 10)])
    var slower = old
    slower.samples[0].latencyMs = 99
    var failing = slower
    failing.samples[0].pass = false
    #expect(Baselines.keepingUnchanged([slower], from: [old]) == [old])
    #expect(Baselines.keepingUnchanged([failing], from: [old]) == [failing])
  }
}
