import EvalCore
import FakeOpenAIServer
import Foundation
import Testing

/// `evalgate run` holds failed and errored cases packed once their pieces are on disk (issue 17); the same run
/// with a CSV `outputPath`, which holds every case whole, says the same: the failures listed with their
/// reasons, the gate, the exit status, summary.md, gl-code-quality.json and junit.xml's messages (the
/// `outputPath` goes last, so the tests' lines are the same).
struct PackedFailuresRunTests {
  static func suite(_ url: String, csv: Bool) -> String {
    """
    description: going down
    prompts: ["{{ q }}"]
    providers:
      - id: openai:chat:fake-model
        config: { apiBaseUrl: "\(url)" }
    tests:
      - vars:
          q: ["a [[reply:yes]]", "b [[reply:no]]", "c [[fault:500]]", "d [[fault:503]]", "e [[fault:malformed]]",
              "f [[reply:yes, no]]", "g [[reply:nope]]", "h [[fault:500]]"]
        assert:
          - { type: contains, value: "yes", metric: tone }
          - { type: not-contains, value: "no" }
    \(csv ? "outputPath: copy.csv" : "")
    """
  }

  /// What a run says that does not depend on its timing: the console's decision and failure lines, and the
  /// JUnit failure and error messages.
  static func said(_ r: CLI.Result, _ dir: URL) throws -> (console: [String], junit: [String]) {
    let console = r.stdout.split(separator: "\n").map(String.init).filter {
      !$0.contains(" ms") && !$0.contains(" s;") && !$0.hasPrefix("cases:") && !$0.contains(" in ")
    }
    let xml = try String(contentsOf: dir.appendingPathComponent("reports/junit.xml"), encoding: .utf8)
    let messages = xml.split(separator: "\n").filter { $0.contains("<failure") || $0.contains("<error") }.map(
      String.init)
    return (console, messages)
  }

  @Test func anErroringEndpointReportsTheSamePackedOrWhole() async throws {
    let server = FakeOpenAIServer()
    _ = try await server.start()
    defer { Task { await server.stop() } }
    var runs: [(CLI.Result, URL)] = []
    for csv in [false, true] {
      let dir = try CLI.scratch(["suites/down.yaml": Self.suite(server.baseURL, csv: csv)])
      let r = try await CLI.run(["run", "--no-cache", "--no-history", "--max-retries", "0", "-j", "1"], in: dir)
      runs.append((r, dir))
    }
    let (packed, packedDir) = runs[0]
    let (whole, wholeDir) = runs[1]
    #expect(packed.status == 1, "\(packed.stderr)\n\(packed.stdout)")
    #expect(packed.status == whole.status)
    let (console, junit) = try Self.said(packed, packedDir)
    #expect(try Self.said(whole, wholeDir).console == console)
    #expect(try Self.said(whole, wholeDir).junit == junit)
    // The reasons the lists print are the whole cases': the assertion's and the endpoint's.
    #expect(packed.stdout.contains("contains: "), "\(packed.stdout)")
    #expect(packed.stdout.contains("http_500: "), "\(packed.stdout)")
    #expect(junit.count == 7)
    for file in ["reports/summary.md", "reports/gl-code-quality.json"] {
      let a = try Data(contentsOf: packedDir.appendingPathComponent(file))
      let b = try Data(contentsOf: wholeDir.appendingPathComponent(file))
      #expect(a == b, "\(file) differs")
    }
    let summary = try String(contentsOf: packedDir.appendingPathComponent("reports/summary.md"), encoding: .utf8)
    #expect(summary.contains("HTTP 503 Service Unavailable"), "\(summary)")
  }

  /// A run whose token budget runs out after a few cases: the rest are skipped with the budget's reason.
  static func budgetSuite(csv: Bool) -> String {
    """
    description: on a budget
    prompts: ["one two three four {{ n }}"]
    providers: [echo]
    tests:
      - vars: { n: [\((1...40).map(String.init).joined(separator: ", "))] }
        assert: [{ type: contains, value: "one" }]
    \(csv ? "outputPath: copy.csv" : "")
    """
  }

  @Test func aSpentBudgetsSkippedCasesReportTheSamePackedOrWhole() async throws {
    var runs: [(CLI.Result, URL)] = []
    for csv in [false, true] {
      let dir = try CLI.scratch(["suites/budget.yaml": Self.budgetSuite(csv: csv)])
      let r = try await CLI.run(["run", "--no-history", "-j", "1", "--max-tokens", "16"], in: dir)
      runs.append((r, dir))
    }
    let (packed, packedDir) = runs[0]
    let (whole, wholeDir) = runs[1]
    #expect(packed.status == 4, "\(packed.stderr)\n\(packed.stdout)")
    #expect(packed.status == whole.status)
    #expect(packed.stdout.contains("could not evaluate: budget reached: "), "\(packed.stdout)")
    #expect(try Self.said(whole, wholeDir).console == Self.said(packed, packedDir).console)
    func skipped(_ dir: URL) throws -> (junit: [Substring], json: [JSONValue]) {
      let xml = try String(contentsOf: dir.appendingPathComponent("reports/junit.xml"), encoding: .utf8)
      let json = try #require(
        JSONValue.parse(try String(contentsOf: dir.appendingPathComponent("reports/results.json"), encoding: .utf8)))
      let cases = json.value(atPath: ["cases"])?.arrayValue ?? []
      return (
        xml.split(separator: "\n").filter { $0.contains("<skipped") },
        cases.filter { $0.value(atPath: ["outcome"])?.plainText == "skipped" }
      )
    }
    let (junit, json) = try skipped(packedDir)
    #expect(junit.count > 30 && json.count == junit.count, "\(junit.count) skipped in junit.xml, \(json.count) in json")
    #expect(json.allSatisfy { $0.value(atPath: ["vars", "n"]) != nil })
    #expect(try skipped(wholeDir).junit == junit)
    // The two cases under way when the budget ran out race for the one place: either may be the one skipped.
    // The cases skipped in both runs read the same.
    func byID(_ cases: [JSONValue]) -> [String: JSONValue] {
      Dictionary(cases.map { ($0.value(atPath: ["id"])?.plainText ?? "", $0) }) { a, _ in a }
    }
    let (packedCases, wholeCases) = (byID(json), byID(try skipped(wholeDir).json))
    let both = Set(packedCases.keys).intersection(wholeCases.keys)
    #expect(both.count >= json.count - 1, "\(both.count) of \(json.count) skipped in both runs")
    for id in both.sorted() where packedCases[id] != wholeCases[id] {
      Issue.record(
        "case \(id) skipped: \(String(describing: packedCases[id])), whole: \(String(describing: wholeCases[id]))")
      break
    }
    for file in ["reports/summary.md", "reports/gl-code-quality.json"] {
      let a = try Data(contentsOf: packedDir.appendingPathComponent(file))
      let b = try Data(contentsOf: wholeDir.appendingPathComponent(file))
      #expect(a == b, "\(file) differs")
    }
    // results.jsonl holds the cases that ran; `--resume` runs the skipped ones.
    let lines = try String(contentsOf: packedDir.appendingPathComponent("reports/results.jsonl"), encoding: .utf8)
    let ran = lines.split(separator: "\n").count
    #expect(ran == 40 - json.count)
    let resumed = try await CLI.run(
      ["run", "--no-history", "-j", "1", "--resume", "reports/results.jsonl"], in: packedDir)
    #expect(resumed.status == 0, "\(resumed.stderr)\n\(resumed.stdout)")
    #expect(resumed.stderr.contains("resuming: \(ran) of 40 cases already finished"), "\(resumed.stderr)")
  }
}
