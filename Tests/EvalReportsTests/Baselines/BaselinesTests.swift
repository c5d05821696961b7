import EvalCore
import Foundation
import Testing

@testable import EvalReports

/// Reading comparison inputs and restricting them to what a run covers.
struct BaselinesTests {
  static func baselineBytes(_ report: RunReport, suite: String) throws -> [UInt8] {
    let blessing = try Baselines.bless(
      report, suites: [suite], resultsPath: "r.json",
      provenance: .init(tool: "t", createdAt: "c", source: "s", configHash: nil), suiteHash: { _ in nil },
      existing: { _ in nil })
    return try #require(blessing.first?.bytes)
  }

  @Test func readsABaselineFileAndAResultsFileAlike() throws {
    let report = ReportFixtures.mixed()
    let fromBaseline = try Baselines.parse(try Self.baselineBytes(report, suite: "support"), path: "support.json")
    #expect(fromBaseline.suites == ["support"])
    #expect(fromBaseline.cases.map(\.id) == report.records.filter { $0.suite == "support" }.map(\.id).sorted())
    let fromResults = try Baselines.parse(try JSONReport.render(report), path: "results.json")
    #expect(fromResults.suites == ["support", "extract.v2"])
    #expect(fromResults.cases.count == report.records.count)
  }

  @Test(arguments: [
    ("{\"hello\": 1}", "x.json:1:1: error: neither a baseline file nor a run's results.json"),
    ("<<<<<<< HEAD\n{}", "x.json:1:1: error: neither a baseline file nor a run's results.json"),
    ("{\"evalgateBaseline\": 1}", "x.json:1:1: error: not an evalgate baseline (missing 'tool')"),
    ("{\"schemaVersion\": 1, \"cases\": 3}", "x.json:1:1: error: cannot read results ("),
  ])
  func badFilesAreLocatedErrors(text: String, message: String) throws {
    do {
      _ = try Baselines.parse(Array(text.utf8), path: "x.json")
      Issue.record("\(text) was read")
    } catch let d as Diagnostic {
      #expect(d.description.hasPrefix(message), "\(d.description)")
    }
  }

  @Test func kindsAreToldByTheirKeys() {
    #expect(Baselines.kind(of: Array("{\"evalgateBaseline\": 1}".utf8)) == .baseline)
    #expect(Baselines.kind(of: Array("{\"schemaVersion\": 1, \"cases\": []}".utf8)) == .results)
    #expect(Baselines.kind(of: Array("{\"schemaVersion\": 1}".utf8)) == .otherJSON)
    #expect(Baselines.kind(of: Array("[1]".utf8)) == .notJSON)
  }

  @Test func fileNamesFlattenSlashes() {
    #expect(Baselines.fileName(for: "team/support") == "team_support.json")
    #expect(Baselines.fileName(for: "faq") == "faq.json")
  }

  @Test func aShardKeepsItsShareAndEveryRetrievalQuery() throws {
    let report = try ReportFixtures.withRetrieval()
    let all = Baselines(cases: report.records, suites: report.suiteIDs)
    // Other suites' cases go.
    var other = all
    other.cases.append(
      CaseRecord(
        id: CaseID(content: .string("gone")), suite: "gone", title: "", provider: "p", file: "", line: nil, samples: [])
    )
    other.suites.insert("gone")
    #expect(other.restricted(to: report, shard: nil) == all)
    // Two shards split the prompt cases between them; the fixture's queries stay with the shard that ran them.
    let queries = report.records.filter { $0.provider == "retrieval" }
    #expect(queries.count == 3)
    var kept: [CaseRecord] = []
    for i in 1...2 {
      let shard = try #require(Shard("\(i)/2"))
      let share = all.restricted(to: report, shard: shard).cases
      #expect(queries.allSatisfy { q in share.contains(q) })
      kept += share.filter { $0.provider != "retrieval" }
      #expect(share.filter { $0.provider != "retrieval" }.allSatisfy { shard.contains($0.id) })
    }
    #expect(Set(kept.map(\.id)) == Set(report.records.filter { $0.provider != "retrieval" }.map(\.id)))
    #expect(kept.count == report.records.count - 3)
  }

  @Test func aFoldersFilesMergeAndTheirGatesToo() {
    let a = Baselines(cases: [], suites: ["a"], suiteGates: ["a": ["pass_rate": .init(tolerance: 0.1)]])
    let b = Baselines(cases: [], suites: ["b"], suiteGates: ["a": ["pass_rate": .init(tolerance: 0.5)]])
    let merged = Baselines(merging: [a, b])
    #expect(merged.suites == ["a", "b"])
    #expect(merged.suiteGates["a"]?["pass_rate"]?.tolerance == 0.1)
    #expect(merged.restricted(to: ["b"]).suiteGates.isEmpty)
  }
}
