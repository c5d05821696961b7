import EvalCore
import EvalTestSupport
import FakeOpenAIServer
import Foundation
import Testing

/// One decision per run, printed once, leading every report, and matching the exit code.
struct DecisionTests {
  static func firstLine(_ dir: URL, _ name: String) throws -> String {
    let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    return String(text.split(separator: "\n", omittingEmptySubsequences: true).first ?? "")
  }

  /// After Ctrl-C or SIGTERM (exit 130) no artifact says passed: each says INTERRUPTED first.
  @Test(.offThePool, arguments: [SIGINT, SIGTERM])
  func anInterruptedRunNeverLooksGreen(signal: Int32) async throws {
    let server = FakeOpenAIServer(configuration: FakeServerConfiguration(latency: .seconds(1)))
    try await server.start()
    defer { Task { await server.stop() } }
    let dir = try CLI.scratch([
      "suites/slow.yaml": """
      prompts: ["{{ n }}"]
      providers:
        - id: openai:chat:fake-model
          config: { apiBaseUrl: "\(server.baseURL)" }
      tests:
        - vars: { n: [\((1...200).map(String.init).joined(separator: ", "))] }
          assert: [{ type: contains, value: "You said" }]
      """
    ])
    // Interrupted once a few cases finished, however loaded the machine is: the run would take 100 s, so a test
    // process too busy to look for the finished cases for a while still interrupts it (with 40 cases, a CI run
    // once finished all of them, 20 s, before the signal was sent).
    let r = try await CLI.run(["run", "-j", "2", "--no-cache"], in: dir) { process in
      let lines = dir.appendingPathComponent("reports/results.jsonl")
      while process.isRunning,
        ((try? String(contentsOf: lines, encoding: .utf8)) ?? "").split(separator: "\n").count < 2
      {
        try await Task.sleep(for: .milliseconds(50))
      }
      kill(process.processIdentifier, signal)
    }
    #expect(r.status == 130, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("INTERRUPTED: stopped after "), "\(r.stdout)")
    #expect(!r.stdout.contains("GATE PASSED"))
    #expect(try Self.firstLine(dir, "reports/summary.md").hasPrefix("## ⏹️ evalgate: INTERRUPTED: stopped after"))
    let html = try String(contentsOf: dir.appendingPathComponent("reports/report.html"), encoding: .utf8)
    #expect(html.contains(#"<div class="banner warn" id="decision">INTERRUPTED: stopped after"#))
    #expect(!html.lowercased().contains("gate passed") && !html.contains("pass rate 100%"))
    let junit = try String(contentsOf: dir.appendingPathComponent("reports/junit.xml"), encoding: .utf8)
    #expect(junit.contains(#"<property name="evalgate.decision" value="INTERRUPTED: stopped after"#))
    #expect(junit.contains(#"<property name="evalgate.interrupted" value="true"/>"#))
    let json = try #require(
      JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
    #expect(json.value(atPath: ["decision", "status"]) == .string("interrupted"))
    #expect(json.value(atPath: ["decision", "exitCode"]) == .number(130))
  }

  /// A run whose cases pair with nothing in the baseline exits 4 and says why, without a verdict that
  /// contradicts it.
  @Test func aRunThatPairsWithNothingSaysWhyAndExitsFour() async throws {
    let suite = { (label: String) in
      """
      prompts: ["q{{ n }}"]
      providers: [{ id: echo, label: \(label) }]
      tests:
        - vars: { n: [1, 2, 3, 4, 5, 6] }
          assert: [{ type: contains, value: q }]
      """
    }
    let dir = try CLI.scratch(["suites/s.yaml": suite("old")])
    #expect(try await CLI.run(["run", "--no-baseline"], in: dir).status == 0)
    #expect(try await CLI.run(["baseline", "accept"], in: dir).status == 0)
    try suite("renamed").write(to: dir.appendingPathComponent("suites/s.yaml"), atomically: true, encoding: .utf8)
    let r = try await CLI.run(["run"], in: dir)
    #expect(r.status == 4, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.hasPrefix("could not evaluate: none of the 6 cases pairs with the 6 cases of the baseline"))
    #expect(r.stdout.contains("evalgate baseline accept"))
    for word in ["ROLLBACK", "REGRESSED", "PROMOTE", "GATE PASSED"] {
      #expect(!r.stdout.contains(word), "\(word) in \(r.stdout)")
    }
    #expect(r.stdout.components(separatedBy: "could not evaluate").count == 2, "said once: \(r.stdout)")
    #expect(try Self.firstLine(dir, "reports/summary.md").hasPrefix("## ⚠️ evalgate: could not evaluate: none of"))
    #expect(try Self.firstLine(dir, "reports/verdict.md").hasPrefix("## ⚠️ evalgate: could not evaluate: none of"))
  }

  /// A HOLD that exits 3 is what summary.md says first, not the plain pass rate.
  @Test func aHoldLeadsTheSummaryItExitsWith() async throws {
    let suite = { (passing: String) in
      """
      prompts: ["q{{ n }}"]
      providers: [echo]
      tests:
        - id: t
          vars: { n: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }
          assert: [{ type: regex, value: "\(passing)" }]
      """
    }
    let dir = try CLI.scratch(["suites/s.yaml": suite("^q")])
    #expect(try await CLI.run(["run", "--no-baseline"], in: dir).status == 0)
    #expect(try await CLI.run(["baseline", "accept"], in: dir).status == 0)
    try suite("^q([0-9]|10)$").write(to: dir.appendingPathComponent("suites/s.yaml"), atomically: true, encoding: .utf8)
    let r = try await CLI.run(["run"], in: dir)
    #expect(r.status == 3, "\(r.stdout)")
    #expect(r.stdout.hasPrefix("HOLD: "), "\(r.stdout)")
    #expect(try Self.firstLine(dir, "reports/summary.md").hasPrefix("## ⚠️ evalgate: HOLD: "))
    let accepted = try await CLI.run(["run", "--fail-on", "rollback"], in: dir)
    #expect(accepted.status == 0)
    #expect(accepted.stdout.hasPrefix("HOLD: ") && accepted.stdout.contains("accepted by --fail-on rollback"))
  }
}
