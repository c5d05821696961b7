import EvalCore
import EvalTestSupport
import FakeOpenAIServer
import Foundation
import Testing

/// What a run does to its files: a resumed file is never truncated, the output dir is checked before a call
/// is paid for and held against a second run, the last run's reports never survive beside a new run's, and
/// two runs share one response cache.
struct RunFilesTests {
  static func suite(_ server: FakeOpenAIServer, cases: Int) -> String {
    """
    prompts: ["q{{ n }}"]
    providers:
      - id: openai:chat:fake-model
        config: { apiBaseUrl: "\(server.baseURL)" }
    tests:
      - vars: { n: [\((0..<cases).map(String.init).joined(separator: ", "))] }
        assert: [{ type: starts-with, value: "You said: q" }]
    """
  }

  static func ids(_ file: URL) -> Set<String> {
    let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    return Set(
      text.split(separator: "\n").compactMap { JSONValue.parse(String($0))?.value(atPath: ["id"])?.stringValue })
  }

  /// A kill -9 at any moment of a resumed run leaves every case finished before it in results.jsonl.
  @Test(.offThePool) func killingAResumedRunNeverLosesFinishedCases() async throws {
    let server = FakeOpenAIServer(configuration: FakeServerConfiguration(latency: .milliseconds(30)))
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch(["suites/big.yaml": Self.suite(server, cases: 3000)])
    let jsonl = dir.appendingPathComponent("reports/results.jsonl")
    _ = try await CLI.run(["run", "-j", "32", "--no-cache"], in: dir) { process in
      while process.isRunning, Self.ids(jsonl).count < 1000 { try await Task.sleep(for: .milliseconds(20)) }
      kill(process.processIdentifier, SIGKILL)
    }
    var finished = Self.ids(jsonl)
    #expect(finished.count >= 1000)
    // Killed early in each resumed run, where the old file used to be emptied and written back line by line.
    for delay in [0, 5, 15, 40, 90] {
      _ = try await CLI.run(["run", "-j", "32", "--no-cache", "--resume", "reports/results.jsonl"], in: dir) {
        process in
        try await Task.sleep(for: .milliseconds(delay))
        kill(process.processIdentifier, SIGKILL)
      }
      let now = Self.ids(jsonl)
      #expect(now.isSuperset(of: finished), "killed after \(delay) ms: \(finished.subtracting(now).count) lost")
      finished = now
    }
  }

  @Test func aReadOnlyOutputDirIsRefusedBeforeAnyCall() async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(server, cases: 3)])
    let out = dir.appendingPathComponent("locked")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: out.path)
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out.path) }
    // root writes anywhere: the check is meaningful only for an ordinary user.
    guard getuid() != 0 else {
      let r = try await CLI.run(["run", "-o", "/proc/evalgate-out"], in: dir)
      #expect(r.status == 2, "\(r.stderr)")
      #expect(r.stderr.contains("cannot create the output dir '/proc/evalgate-out'"), "\(r.stderr)")
      #expect(server.stats.chatRequests == 0)
      return
    }
    let r = try await CLI.run(["run", "-o", out.path], in: dir)
    #expect(r.status == 2)
    #expect(r.stderr.contains("cannot write to the output dir"), "\(r.stderr)")
    #expect(server.stats.chatRequests == 0)
  }

  @Test(.offThePool) func aSecondRunIntoTheSameOutputDirIsRefused() async throws {
    // 40 one-second calls two at a time: the first run lasts 20 s, long enough for a second evalgate to start
    // on a loaded machine.
    let server = FakeOpenAIServer(configuration: FakeServerConfiguration(latency: .milliseconds(1000)))
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(server, cases: 40)])
    var second: CLI.Result?
    let first = try await CLI.run(["run", "-j", "2", "--no-cache"], in: dir) { process in
      while process.isRunning, Self.ids(dir.appendingPathComponent("reports/results.jsonl")).isEmpty {
        try await Task.sleep(for: .milliseconds(20))
      }
      second = try await CLI.run(["run", "-j", "2", "--no-cache"], in: dir)
    }
    #expect(first.status == 0, "\(first.stderr)")
    let refused = try #require(second)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("another evalgate run (pid "), "\(refused.stderr)")
    #expect(refused.stderr.contains("is writing to 'reports'"))
    // The first run's reports are whole and its own.
    #expect(Self.ids(dir.appendingPathComponent("reports/results.jsonl")).count == 40)
  }

  /// The last run's reports are gone when a run starts: a verdict.md from a run compared with a baseline does
  /// not survive beside a later run that was not.
  @Test func aPreviousRunsReportsNeverSurviveBesideANewRunsReports() async throws {
    let dir = try CLI.scratch([
      "suites/s.yaml": "prompts: [\"q{{ n }}\"]\nproviders: [echo]\ntests:\n  - vars: { n: [1, 2] }\n",
      "reports/verdict.md": "## ✅ evalgate: PROMOTE (a stale file)\n",
      "reports/junit.xml": "<testsuites tests=\"99\"/>\n",
    ])
    #expect(try await CLI.run(["run", "--no-baseline"], in: dir).status == 0)
    #expect(!CLI.exists(dir, "reports/verdict.md"))
    let junit = try String(contentsOf: dir.appendingPathComponent("reports/junit.xml"), encoding: .utf8)
    #expect(!junit.contains("tests=\"99\""))
  }

  /// Two runs started together on a fresh cache both complete, and both use it.
  @Test(arguments: 1...3)
  func twoRunsShareAFreshCache(attempt: Int) async throws {
    let server = FakeOpenAIServer()
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(server, cases: 30)])
    async let a = CLI.run(["run", "-o", "a", "--no-baseline"], in: dir)
    async let b = CLI.run(["run", "-o", "b", "--no-baseline"], in: dir)
    let (ra, rb) = try await (a, b)
    #expect(ra.status == 0 && rb.status == 0, "\(ra.stderr)\n\(rb.stderr)")
    #expect(!(ra.stderr + rb.stderr).contains("locked"))
    #expect(CLI.exists(dir, ".evalgate/cache.sqlite"))
  }
}
