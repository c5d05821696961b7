import EvalCore
import EvalRun
import Foundation
import Testing

/// A suite whose tests are a vars CSV (read as a stream) plans the cases the same tests written inline plan:
/// the same ids in the same order, through `--filter-id`, `--filter-tag` and every shard.
struct CSVRowsPlanTests {
  static let rows = 300

  /// Two projects with one suite each, both called `rows.yaml`: the tests in a CSV, and the same written in
  /// the suite.
  static func plans() throws -> (csv: RunPlan, inline: RunPlan) {
    var csv = "word,__id,__description\n"
    var inline = ""
    for i in 0..<rows {
      let id = i % 3 == 0 ? "row-\(i)" : ""
      // Quoting, a comma and a line break in some values.
      let word = i % 7 == 0 ? "w \(i), \"q\"\nnext" : "w\(i)"
      let quoted = "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\""
      csv += "\(quoted),\(id),\(i % 5 == 0 ? "d\(i)" : "")\n"
      inline += "  - vars: { word: \(JSONValue.quote(word)) }\n"
      if !id.isEmpty { inline += "    id: \(id)\n" }
      if i % 5 == 0 { inline += "    description: d\(i)\n" }
    }
    let head = """
      prompts: ["Say {{ word }}"]
      providers: [echo, { id: echo, label: mirror }]
      tags: [nightly]
      defaultTest: { assert: [{ type: contains, value: "Say" }] }

      """
    func project(_ files: [String: String]) throws -> RunPlan {
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evalrun-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      for (name, text) in files {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
      }
      var plan = RunPlan()
      plan.config = dir.appendingPathComponent("evalgate.yaml").path
      plan.paths = [dir.appendingPathComponent("rows.yaml").path]
      return plan
    }
    return (
      try project(["evalgate.yaml": "", "rows.yaml": head + "tests: file://rows.csv\n", "rows.csv": csv]),
      try project(["evalgate.yaml": "", "rows.yaml": head + "tests:\n" + inline])
    )
  }

  static func ids(_ plan: RunPlan) throws -> (count: Int, ids: [CaseID]) {
    let (prepared, cases) = try RunPlanner(plan: plan, environment: [:]).prepare()
    return (prepared.survey.cases, cases.map(\.id))
  }

  @Test func filtersAndShardsKeepTheSameCases() throws {
    var (csv, inline) = try Self.plans()
    let all = try Self.ids(csv)
    #expect(all.count == 2 * Self.rows && all.ids.count == 2 * Self.rows)
    #expect(all.ids == (try Self.ids(inline)).ids)
    for filter in [CaseFilter(ids: ["row-1*", "row-3"]), CaseFilter(tags: ["nightly"]), CaseFilter(tags: ["none"])] {
      (csv.filter, inline.filter) = (filter, filter)
      let (a, b) = (try Self.ids(csv), try Self.ids(inline))
      #expect(a.count == b.count && a.ids == b.ids, "\(filter)")
    }
    (csv.filter, inline.filter) = (CaseFilter(), CaseFilter())
    var sharded: [CaseID] = []
    for i in 1...4 {
      (csv.shard, inline.shard) = (Shard("\(i)/4"), Shard("\(i)/4"))
      let (a, b) = (try Self.ids(csv), try Self.ids(inline))
      #expect(a.ids == b.ids && a.count == a.ids.count)
      sharded += a.ids
    }
    #expect(Set(sharded) == Set(all.ids) && sharded.count == all.ids.count)
  }
}
