import EvalCore
import EvalRun
import Foundation
import Testing

/// `list` makes each case once (``CaseListing``) and prints what it printed when it surveyed the cases and then
/// listed the plan: the same lines, byte for byte, through filters and shards.
struct CaseListingTests {
  /// The listing as `list` made it before: the planner's survey, then a second pass over the plan.
  static func twoPassListing(_ plan: RunPlan) throws -> (count: Int, text: Data) {
    let (prepared, cases) = try RunPlanner(plan: plan, environment: [:]).prepare()
    return (prepared.survey.cases, Data(cases.map(CaseListing.line).joined().utf8))
  }

  /// The listing made once, through a spool that keeps `memoryLimit` bytes in memory.
  static func listing(_ plan: RunPlanner, memoryLimit: Int) throws -> (count: Int, text: Data) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("listing-\(UUID().uuidString)")
    let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    try #require(fd >= 0)
    defer { close(fd) }
    let spool = OutputSpool(destination: fd, memoryLimit: memoryLimit)
    let prepared = try CaseListing.list(plan, into: spool)
    spool.commit()
    return (prepared.survey.cases, try Data(contentsOf: url))
  }

  @Test func theListingIsTheTwoPassListingThroughFiltersAndShards() throws {
    var (plan, _) = try CSVRowsPlanTests.plans()
    var variants: [(String, RunPlan)] = [("all", plan)]
    plan.filter = CaseFilter(ids: ["row-1*", "row-3"])
    variants.append(("filter", plan))
    plan.filter = CaseFilter()
    for i in 1...3 {
      plan.shard = Shard("\(i)/3")
      variants.append(("shard \(i)/3", plan))
    }
    for (name, plan) in variants {
      let before = try Self.twoPassListing(plan)
      for limit in [64, 1 << 20] {
        let after = try Self.listing(RunPlanner(plan: plan, environment: [:]), memoryLimit: limit)
        #expect(after.count == before.count, "\(name)")
        #expect(after.text == before.text, "\(name), memory limit \(limit)")
      }
      #expect(!before.text.isEmpty || name == "filter")
    }
  }

  @Test func eachCaseIsVisitedOnceInReportOrder() throws {
    let (plan, _) = try CSVRowsPlanTests.plans()
    var seen: [CaseID] = []
    let (prepared, cases) = try RunPlanner(plan: plan, environment: [:]).prepare(visiting: { seen.append($0.id) })
    #expect(seen.count == prepared.survey.cases && seen.count == 2 * CSVRowsPlanTests.rows)
    #expect(Set(seen).count == seen.count)
    #expect(seen == cases.map(\.id))
  }
}
