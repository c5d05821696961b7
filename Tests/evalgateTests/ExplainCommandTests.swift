import Foundation
import Testing

/// `evalgate explain CASE_ID` on a real run: the failing case in full, the baseline beside it, and a
/// located error with the nearest cases for an unknown id.
struct ExplainCommandTests {
  /// A project from `evalgate init`, blessed, then with its one test broken and run again.
  static func brokenProject() async throws -> (URL, [String: Any]) {
    let dir = try CLI.scratch()
    #expect(try await CLI.run(["init"], in: dir).status == 0)
    #expect(try await CLI.run(["run"], in: dir).status == 0)
    #expect(try await CLI.run(["baseline", "accept"], in: dir).status == 0)
    let suite = dir.appendingPathComponent("suites/example.yaml")
    let text = try String(contentsOf: suite, encoding: .utf8)
    #expect(text.contains("value: paris"))
    try text.replacingOccurrences(of: "value: paris", with: "value: lyon").write(
      to: suite, atomically: true, encoding: .utf8)
    let red = try await CLI.run(["run"], in: dir)
    #expect(red.status != 0, "\(red.stdout)")
    let data = try Data(contentsOf: dir.appendingPathComponent("reports/results.json"))
    let case0 = try #require(
      ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["cases"] as? [[String: Any]])?.first)
    return (dir, case0)
  }

  @Test func explainsTheFailingCaseByTestIDAndByIDPrefix() async throws {
    let (dir, c) = try await Self.brokenProject()
    let id = try #require(c["id"] as? String)
    let testID = try #require(c["testID"] as? String)
    let attempt = try #require((c["attempts"] as? [[String: Any]])?.first)
    let byTest = try await CLI.run(["explain", testID], in: dir)
    #expect(byTest.status == 0, "\(byTest.stderr)")
    let byPrefix = try await CLI.run(["explain", String(id.prefix(6))], in: dir)
    #expect(byPrefix.stdout == byTest.stdout)
    let page = byTest.stdout
    #expect(page.hasPrefix("case \(id): "))
    #expect(page.contains("outcome: FAILED"))
    for m in c["messages"] as? [[String: Any]] ?? [] {
      #expect(page.contains("\(m["role"] ?? ""): \(m["content"] ?? "")"))
    }
    #expect(page.contains("    \(attempt["output"] as? String ?? "<no output>")"))
    for a in attempt["assertions"] as? [[String: Any]] ?? [] {
      let mark = a["pass"] as? Bool == true ? "✓" : "✗"
      #expect(page.contains("\(mark) \(a["type"] ?? "") (line \(a["line"] ?? "")): \(a["reason"] ?? "")"), "\(page)")
    }
    #expect(page.contains("baseline (baselines/example.json): passed 1 of 1"))
    #expect(page.contains("a regression"))
    #expect(page.contains("retries: none"))
    #expect(page.contains("evalgate baseline accept"))
    // The baseline file alone: its outcome, and a pointer to the run's results for the rest.
    let fromBaseline = try await CLI.run(["explain", id, "--from", "baselines/example.json"], in: dir)
    #expect(fromBaseline.status == 0)
    #expect(fromBaseline.stdout.contains("sample 1: passed"))
  }

  @Test func unknownIDIsALocatedErrorWithTheNearestCases() async throws {
    let (dir, c) = try await Self.brokenProject()
    let testID = try #require(c["testID"] as? String)
    let typo = String(testID.dropLast()) + "x"
    let r = try await CLI.run(["explain", typo], in: dir)
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("reports/results.json:1:1: error: no case '\(typo)'"), "\(r.stderr)")
    #expect(r.stderr.contains("note: nearest: '\(testID)' (\(c["id"] ?? "")"), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
    let nowhere = try await CLI.run(["explain", testID, "--from", "no-such-run"], in: dir)
    #expect(nowhere.status == 2)
    #expect(nowhere.stderr.contains("no such file or directory: 'no-such-run'"))
  }
}
