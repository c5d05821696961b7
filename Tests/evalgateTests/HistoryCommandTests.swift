import EvalCore
import Foundation
import GRDB
import Testing

/// `evalgate run` recording history, and the `history` commands, end to end on the built binary.
@Suite(.serialized)
struct HistoryCommandTests {
  /// A suite of `count` echo cases; the first `failing` assert text the echo never says.
  static func suite(_ count: Int, failing: Int = 0) -> String {
    var yaml = "prompts: [\"say {{w}}\"]\nproviders: [echo]\ntests:\n"
    for i in 0..<count {
      yaml += "  - vars: {w: word\(i)}\n    assert: [{type: contains, value: \(i < failing ? "zzz" : "word\(i)")}]\n"
    }
    return yaml
  }

  static func runID(_ dir: URL, _ extra: [String] = []) async throws -> [String] {
    let r = try await CLI.run(["history", "list", "--json"] + extra, in: dir)
    let json = try #require(JSONValue.parse(r.stdout), "\(r.stdout)\n\(r.stderr)")
    return (json.arrayValue ?? []).compactMap { $0.value(atPath: ["id"])?.stringValue }
  }

  @Test func aRunIsRecordedShownAndVerifiedAndTamperingIsNamed() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(3, failing: 1)])
    let first = try await CLI.run(["run"], in: dir)
    #expect(first.status == 1, "\(first.stderr)")
    #expect(!first.stderr.contains("warning: history"), "\(first.stderr)")
    #expect(CLI.exists(dir, ".evalgate/history.sqlite"))
    let skipped = try await CLI.run(["run", "--no-history"], in: dir)
    #expect(skipped.status == 1)
    let ids = try await Self.runID(dir)
    #expect(ids.count == 1)
    let id = try #require(ids.first)

    let list = try await CLI.run(["history", "list"], in: dir)
    #expect(list.status == 0)
    #expect(list.stdout.contains(id))
    #expect(list.stdout.contains("66.7 %"))
    let show = try await CLI.run(["history", "show", String(id.prefix(20))], in: dir)
    #expect(show.status == 0, "\(show.stderr)")
    #expect(show.stdout.contains("run \(id) (run)"))
    #expect(show.stdout.contains("gate      failed"))
    #expect(show.stdout.contains("suite file sha256"))
    #expect(show.stdout.contains("provider  echo"))
    let showJSON = try await CLI.run(["history", "show", id, "--json"], in: dir)
    let record = try #require(JSONValue.parse(showJSON.stdout))
    #expect(record.value(atPath: ["cases"])?.arrayValue?.count == 3)
    #expect(record.value(atPath: ["audit", "hash"])?.stringValue?.count == 64)
    let missing = try await CLI.run(["history", "show", "nope"], in: dir)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("no run 'nope'"))

    let intact = try await CLI.run(["history", "verify"], in: dir)
    #expect(intact.status == 0)
    #expect(intact.stdout.hasPrefix("INTACT: 1 record"))

    let queue = try DatabaseQueue(path: dir.appendingPathComponent(".evalgate/history.sqlite").path)
    try await queue.write { db in
      try db.execute(sql: "DROP TRIGGER run_no_update")
      try db.execute(sql: "UPDATE run SET record = replace(record, '\"gate\":\"failed\"', '\"gate\":\"passed\"')")
    }
    try queue.close()
    let broken = try await CLI.run(["history", "verify"], in: dir)
    #expect(broken.status == 1)
    #expect(broken.stdout.contains("BROKEN: record 1 (run \(id))"), "\(broken.stdout)")
  }

  @Test func anUnreachableHistoryNeverChangesTheExitCodeAndTheNextRunFlushesTheSpool() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(2, failing: 1), "blocked": "a file, not a folder"])
    for url in ["blocked/history.sqlite", "postgres://evalgate:hunter2@127.0.0.1:1/history"] {
      let r = try await CLI.run(["run", "--history", url], in: dir)
      #expect(r.status == 1, "\(r.stderr)")
      #expect(r.stderr.contains("warning: history:"), "\(r.stderr)")
      #expect(r.stderr.contains("kept in .evalgate/history-spool"))
      #expect(!r.stderr.contains("hunter2"))
    }
    let spooled = try FileManager.default.contentsOfDirectory(
      atPath: dir.appendingPathComponent(".evalgate/history-spool").path)
    #expect(spooled.filter { $0.hasSuffix(".json") }.count == 2)
    let env = try await CLI.run(["run"], in: dir, environment: ["EVALGATE_HISTORY_URL": "sqlite:team.sqlite"])
    #expect(env.status == 1)
    #expect(CLI.exists(dir, "team.sqlite"))
    #expect(try await Self.runID(dir, ["--history", "team.sqlite"]).count == 3)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(".evalgate/history-spool").path)
        .filter { $0.hasSuffix(".json") }.isEmpty)
    let verify = try await CLI.run(["history", "verify", "--history", "team.sqlite"], in: dir)
    #expect(verify.status == 0)
  }

  @Test func historyFromTheConfigFile() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(2), "evalgate.yaml": "history: db/runs.sqlite\n"])
    #expect(try await CLI.run(["run"], in: dir).status == 0)
    #expect(CLI.exists(dir, "db/runs.sqlite"))
    #expect(try await Self.runID(dir).count == 1)
  }

  @Test func concurrentRunsLoseNoRecord() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(5)])
    let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
      for n in 0..<6 { group.addTask { try await CLI.run(["run", "-o", "out\(n)", "--quiet"], in: dir).status } }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(statuses == [0, 0, 0, 0, 0, 0])
    #expect(try await Self.runID(dir, ["--limit", "100"]).count == 6)
    #expect(try await CLI.run(["history", "verify"], in: dir).status == 0)
  }

  /// Past runs imported from results.json files, each failing two more of the cases that fail now: the run
  /// that completes the slide warns HOLD (its exit code unchanged), and `history trend` exits 3.
  @Test func aSlideOfImportedRunsIsDrift() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(60, failing: 20)])
    let seed = try await CLI.run(["run", "--no-history", "-o", "seed"], in: dir)
    #expect(seed.status == 1)
    let text = try String(contentsOf: dir.appendingPathComponent("seed/results.json"), encoding: .utf8)
    let data = Data(text.utf8)
    let formatter = ISO8601DateFormatter()
    var paths: [String] = []
    for k in 0..<9 {
      var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      var cases = try #require(json["cases"] as? [[String: Any]])
      var failed = 0
      for i in cases.indices where cases[i]["outcome"] as? String == "failed" {
        if failed >= 2 * k {
          cases[i]["outcome"] = "passed"
          cases[i]["score"] = 1.0
        }
        failed += 1
      }
      json["cases"] = cases
      json["startedAt"] = formatter.string(from: Date().addingTimeInterval(Double(k - 10) * 3600))
      let path = "past\(k).json"
      try JSONSerialization.data(withJSONObject: json).write(to: dir.appendingPathComponent(path))
      paths.append(path)
    }
    let imported = try await CLI.run(["history", "import"] + paths.reversed(), in: dir)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.split(separator: "\n").count == 9)
    let again = try await CLI.run(["history", "import", paths[0]], in: dir)
    #expect(again.status == 0)
    #expect(try await Self.runID(dir).count == 9)

    let stable = try await CLI.run(["history", "trend"], in: dir)
    #expect(stable.status == 3, "a slide from 0 to 16 failures is drift already: \(stable.stdout)")

    let run = try await CLI.run(["run"], in: dir)
    #expect(run.status == 1, "the gate decides the exit code, not the drift")
    #expect(
      run.stderr.contains("warning: HOLD: suite 's' is drifting over its last 10 runs: pass rate 100.0 % → 66.7 %"),
      "\(run.stderr)")

    let trend = try await CLI.run(["history", "trend", "--suite", "s"], in: dir)
    #expect(trend.status == 3)
    #expect(trend.stdout.contains("DRIFTING  pass_rate McNemar oldest→newest: -33.3 pt"), "\(trend.stdout)")
    #expect(trend.stdout.hasSuffix("DRIFTING: s\n"))
    let json = try await CLI.run(["history", "trend", "--json"], in: dir)
    #expect(json.status == 3)
    #expect(JSONValue.parse(json.stdout)?.arrayValue?.first?.value(atPath: ["paired"])?.numberValue == 60)
    let short = try await CLI.run(["history", "trend", "--window", "2", "--metric", "pass_rate"], in: dir)
    #expect(short.stdout.contains("McNemar"))
    #expect(!short.stdout.contains(" trend:"))
  }

  @Test func aStableHistoryIsStable() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(10, failing: 2)])
    for _ in 0..<4 { #expect(try await CLI.run(["run", "--quiet"], in: dir).status == 1) }
    let trend = try await CLI.run(["history", "trend"], in: dir)
    #expect(trend.status == 0, "\(trend.stdout)")
    #expect(trend.stdout.contains("STABLE"))
    let none = try await CLI.run(["history", "list"], in: try CLI.scratch())
    #expect(none.status == 4)
    #expect(none.stderr.contains("no history at"))
  }

  /// Four runs at once writing to one PostgreSQL history (EVALGATE_TEST_POSTGRES_URL, which scripts/test-postgres
  /// starts; skipped when unset): every run is recorded, exit codes are the runs' own, the chain verifies.
  @Test func concurrentRunsIntoPostgreSQLLoseNoRecord() async throws {
    guard let url = ProcessInfo.processInfo.environment["EVALGATE_TEST_POSTGRES_URL"], !url.isEmpty else {
      try Test.cancel("EVALGATE_TEST_POSTGRES_URL is unset: the PostgreSQL history run is skipped")
    }
    let suite = "pg" + UUID().uuidString.prefix(8).lowercased()
    let dir = try CLI.scratch(["suites/\(suite).yaml": Self.suite(3, failing: 1)])
    let environment = ["EVALGATE_HISTORY_URL": url]
    let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
      for i in 0..<4 {
        // Each run its own output folder: a folder is claimed by one run at a time.
        group.addTask {
          try await CLI.run(["run", "--quiet", "-o", "out\(i)"], in: dir, environment: environment).status
        }
      }
      return try await group.reduce(into: [Int32]()) { $0.append($1) }
    }
    #expect(statuses == [1, 1, 1, 1])
    #expect(!CLI.exists(dir, ".evalgate/history.sqlite"))
    #expect(!CLI.exists(dir, ".evalgate/history-spool"))
    let list = try await CLI.run(["history", "list", "--suite", suite, "--json"], in: dir, environment: environment)
    let json = try #require(JSONValue.parse(list.stdout), "\(list.stdout)\n\(list.stderr)")
    #expect(json.arrayValue?.count == 4, "\(list.stdout)")
    let verify = try await CLI.run(["history", "verify"], in: dir, environment: environment)
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    #expect(!verify.stdout.contains(url) && !verify.stderr.contains(url))
  }

  /// report.html, summary.md and the GitHub step summary carry a trend per suite from the second recorded run on;
  /// never without history.
  @Test func reportsShowTrendsFromTheHistory() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(4, failing: 1)])
    func reports() throws -> (html: String, markdown: String) {
      (
        try String(contentsOf: dir.appendingPathComponent("reports/report.html"), encoding: .utf8),
        try String(contentsOf: dir.appendingPathComponent("reports/summary.md"), encoding: .utf8)
      )
    }
    #expect(try await CLI.run(["run", "--quiet"], in: dir).status == 1)
    #expect(!(try reports().html.contains("<h2>Trends</h2>")))
    #expect(!(try reports().markdown.contains("**Trends**")))
    #expect(try await CLI.run(["run", "--quiet", "--no-history"], in: dir).status == 1)
    #expect(!(try reports().html.contains("<h2>Trends</h2>")))
    let stepSummary = dir.appendingPathComponent("step-summary.md")
    _ = FileManager.default.createFile(atPath: stepSummary.path, contents: nil)
    let github = ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": stepSummary.path]
    #expect(try await CLI.run(["run", "--quiet"], in: dir, environment: github).status == 1)
    let (html, markdown) = try reports()
    #expect(html.contains("<figure class=\"trend\"><figcaption>s: last 2 runs</figcaption>"))
    #expect(markdown.contains("- **s** (last 2 runs): pass rate `▄▄` 75.0 % → 75.0 %"), "\(markdown)")
    let step = try String(contentsOf: stepSummary, encoding: .utf8)
    #expect(step.contains("- **s** (last 2 runs): pass rate `▄▄` 75.0 % → 75.0 %"), "\(step)")
    #expect(try await Self.runID(dir).count == 2)
  }
}
