import EvalCore
import EvalTestSupport
import Foundation
import Testing

/// `evalgate baseline accept`, `evalgate compare` and `run` against baselines, through the binary.
struct VerdictCommandTests {
  /// A suite of `n` offline cases with one stable test id; `passing` is a regex the echoed prompt must
  /// match, so a candidate can fail chosen cases while keeping every case id.
  static func suite(_ n: Int, passing: String = "^q") -> String {
    """
    prompts: ["q{{ n }}"]
    providers: [echo]
    tests:
      - id: t
        vars: { n: [\((0..<n).map(String.init).joined(separator: ", "))] }
        assert: [{ type: regex, value: "\(passing)" }]
    """
  }

  /// Runs the suite written as `text`, with its reports in `out`.
  static func run(_ text: String, in dir: URL, out: String, extra: [String] = []) async throws -> CLI.Result {
    try text.write(to: dir.appendingPathComponent("suites/s.yaml"), atomically: true, encoding: .utf8)
    return try await CLI.run(["run", "-o", out, "--no-cache"] + extra, in: dir)
  }

  @Test func blessThenCompareGivesEachVerdictItsExitCode() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(60)])
    let first = try await Self.run(Self.suite(60), in: dir, out: "base")
    #expect(first.status == 0, "\(first.stderr)")
    let bless = try await CLI.run(["baseline", "accept", "base/results.json"], in: dir)
    #expect(bless.status == 0, "\(bless.stderr)")
    #expect(bless.stdout.contains("baselines/s.json: created with 60 cases"))

    // The same again: PROMOTE, exit 0.
    _ = try await Self.run(Self.suite(60), in: dir, out: "same", extra: ["--no-baseline"])
    let same = try await CLI.run(["compare", "baselines/s.json", "same/results.json"], in: dir)
    #expect(same.status == 0)
    #expect(
      same.stdout.hasPrefix("PROMOTE: no material regression in 6 metrics (baselines/s.json → same/results.json)"),
      "\(same.stdout)")

    // Cases 50–59 now fail: a 17-point drop in a critical metric, ROLLBACK, exit 1.
    _ = try await Self.run(
      Self.suite(60, passing: "^q([0-9]|[1-4][0-9])$"), in: dir, out: "worse", extra: ["--no-baseline"])
    let worse = try await CLI.run(["compare", "baselines", "worse/results.json", "--markdown", "v.md"], in: dir)
    #expect(worse.status == 1)
    #expect(worse.stdout.hasPrefix("ROLLBACK: critical `pass_rate` REGRESSED: 1 → 0.8333"), "\(worse.stdout)")
    #expect(worse.stdout.components(separatedBy: "`pass_rate` REGRESSED").count == 2, "said once: \(worse.stdout)")
    let markdown = try String(contentsOf: dir.appendingPathComponent("v.md"), encoding: .utf8)
    #expect(markdown.hasPrefix("## ❌ evalgate: ROLLBACK: critical `pass_rate` REGRESSED"), "\(markdown)")
    #expect(markdown.contains("### Regressed cases (10)"))

    // `run` compares with baselines/ by itself and the verdict decides its exit code.
    let gated = try await Self.run(Self.suite(60, passing: "^q([0-9]|[1-4][0-9])$"), in: dir, out: "again")
    #expect(gated.status == 1)
    #expect(gated.stdout.hasPrefix("ROLLBACK: critical `pass_rate` REGRESSED"), "\(gated.stdout)")
    #expect(CLI.exists(dir, "again/verdict.md"))
    // The verdict is in results.json and junit.xml too; the regressed cases say what changed.
    let results = try String(contentsOf: dir.appendingPathComponent("again/results.json"), encoding: .utf8)
    let verdict = JSONValue.parse(results)?.value(atPath: ["verdict", "verdict", "decision"])
    #expect(verdict == .string("ROLLBACK"))
    let junit = try String(contentsOf: dir.appendingPathComponent("again/junit.xml"), encoding: .utf8)
    #expect(junit.contains(#"<property name="evalgate.verdict" value="ROLLBACK"/>"#))
    #expect(junit.contains(#"<property name="evalgate.verdict.regressed_cases" value="10"/>"#))
    #expect(junit.components(separatedBy: "regressed from the baseline: passed 100 % → 0 %").count - 1 == 10)
    #expect(XMLChecker.isWellFormed(Array(junit.utf8)))
    if XMLChecker.referenceAvailable {
      #expect(XMLChecker.validates(Array(junit.utf8), schema: "consumer-superset.xsd"))
    }
  }

  @Test func reBlessingARunThatChangedOnlyTimingsLeavesTheFileByteIdentical() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(30)])
    _ = try await Self.run(Self.suite(30), in: dir, out: "first")
    let created = try await CLI.run(["baseline", "accept", "first/results.json"], in: dir)
    #expect(created.stdout.contains("baselines/s.json: created with 30 cases"), "\(created.stdout)")
    let baseline = dir.appendingPathComponent("baselines/s.json")
    let before = try Data(contentsOf: baseline)
    let attributes = try FileManager.default.attributesOfItem(atPath: baseline.path)
    // The same cases again: other latencies, another start time, the same outcomes.
    _ = try await Self.run(Self.suite(30), in: dir, out: "second", extra: ["--no-baseline"])
    let second = try String(contentsOf: dir.appendingPathComponent("second/results.json"), encoding: .utf8)
    let first = try String(contentsOf: dir.appendingPathComponent("first/results.json"), encoding: .utf8)
    #expect(second != first, "the second run's results.json should differ (times) for this test to mean anything")
    let again = try await CLI.run(["baseline", "accept", "second/results.json"], in: dir)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("baselines/s.json: unchanged, 30 cases"), "\(again.stdout)")
    #expect(try Data(contentsOf: baseline) == before)
    // Not even rewritten with the same bytes: the same inode (an atomic write renames a new one in) and mtime.
    let untouched = try FileManager.default.attributesOfItem(atPath: baseline.path)
    func inode(_ a: [FileAttributeKey: Any]) -> UInt64? {
      (a[.systemFileNumber] as? NSNumber)?.uint64Value ?? a[.systemFileNumber] as? UInt64
    }
    #expect(try #require(inode(untouched)) == (try #require(inode(attributes))))
    #expect(
      try #require(untouched[.modificationDate] as? Date) == (try #require(attributes[.modificationDate] as? Date)))
    #expect(!again.stdout.contains("next: commit"), "nothing to commit: \(again.stdout)")
    // An outcome that changed is written.
    _ = try await Self.run(
      Self.suite(30, passing: "^q([0-9]|1[0-9]|2[0-8])$"), in: dir, out: "third", extra: ["--no-baseline"])
    let third = try await CLI.run(["baseline", "accept", "third/results.json"], in: dir)
    #expect(third.stdout.contains("30 cases; 0 added, 0 removed, 1 pass→fail, 0 fail→pass"), "\(third.stdout)")
    let after = try Data(contentsOf: baseline)
    #expect(after != before)
    // Only the header (bless time, source, tool; the suite file was edited, so its hash) and the one case
    // that now fails differ.
    let lines = (
      String(decoding: before, as: UTF8.self).split(separator: "\n"),
      String(decoding: after, as: UTF8.self).split(separator: "\n")
    )
    #expect(lines.0.count == lines.1.count)
    let differing = zip(lines.0, lines.1).filter { $0 != $1 }.map(\.1)
    let header = differing.filter { line in
      ["createdAt", "source", "suiteHash", "tool"].contains { line.hasPrefix("  \"\($0)\": ") }
    }
    #expect(header.contains { $0.hasPrefix("  \"source\": \"third/results.json") }, "\(differing)")
    #expect(header.contains { $0.hasPrefix("  \"suiteHash\": ") }, "\(differing)")
    #expect(differing.count == header.count + 1, "\(differing)")
    #expect(differing.filter { $0.contains("\"pass\":false") }.count == 1, "\(differing)")
  }

  @Test func aSmallDropHoldsAndFailOnRollbackLetsItThrough() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(12)])
    _ = try await Self.run(Self.suite(12), in: dir, out: "base")
    _ = try await CLI.run(["baseline", "accept", "base/results.json"], in: dir)
    _ = try await Self.run(Self.suite(12, passing: "^q([0-9]|10)$"), in: dir, out: "cand", extra: ["--no-baseline"])
    let held = try await CLI.run(["compare", "baselines", "cand/results.json"], in: dir)
    #expect(held.status == 3, "\(held.stdout)")
    #expect(held.stdout.hasPrefix("HOLD: critical `pass_rate` INCONCLUSIVE"), "\(held.stdout)")
    let allowed = try await CLI.run(["compare", "baselines", "cand/results.json", "--fail-on", "rollback"], in: dir)
    #expect(allowed.status == 0)
    // Two run folders (each holding results.json beside other JSON reports) compare as their results.json.
    #expect(CLI.exists(dir, "cand/gl-code-quality.json") || CLI.exists(dir, "cand/results.jsonl"))
    let folders = try await CLI.run(["compare", "base", "cand"], in: dir)
    #expect(folders.status == 3, "\(folders.stdout)\n\(folders.stderr)")
    #expect(folders.stdout.hasPrefix("HOLD: critical `pass_rate` INCONCLUSIVE"), "\(folders.stdout)")
    let empty = try await CLI.run(["compare", "suites", "cand"], in: dir)
    #expect(empty.status == 2)
    #expect(empty.stderr.contains("'suites' holds neither a run's results.json nor baseline files"), "\(empty.stderr)")
    // A baseline left with merge-conflict markers is an error, never passed over.
    let file = dir.appendingPathComponent("baselines/s.json")
    let text = try String(contentsOf: file, encoding: .utf8)
    try ("<<<<<<< HEAD\n" + text).write(to: file, atomically: true, encoding: .utf8)
    let conflicted = try await CLI.run(["compare", "baselines", "cand"], in: dir)
    #expect(conflicted.status == 2, "\(conflicted.stdout)")
    #expect(conflicted.stderr.contains("baselines/s.json:1:1: error:"), "\(conflicted.stderr)")
    // Blessing again replaces it and says the old file could not be read.
    let rebless = try await CLI.run(["baseline", "accept", "base/results.json"], in: dir)
    #expect(rebless.status == 0, "\(rebless.stderr)")
    #expect(
      rebless.stdout.contains("baselines/s.json: written with 12 cases over a file that was not a readable baseline"),
      "\(rebless.stdout)")
    #expect(try await CLI.run(["compare", "baselines", "cand"], in: dir).status == 3)
  }

  @Test func badInputsAreUsageErrors() async throws {
    let dir = try CLI.scratch(["junk.json": "{\"hello\": 1}", "broken.json": "{\"evalgateBaseline\": 1}"])
    let missing = try await CLI.run(["compare", "nope.json", "junk.json"], in: dir)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("no such file or directory: 'nope.json'"))
    let junk = try await CLI.run(["compare", "junk.json", "junk.json"], in: dir)
    #expect(junk.status == 2)
    #expect(junk.stderr.contains("junk.json:1:1: error: neither a baseline file nor a run's results.json"))
    let broken = try await CLI.run(["compare", "broken.json", "junk.json"], in: dir)
    #expect(
      broken.stderr.contains("broken.json:1:1: error: not an evalgate baseline (missing 'tool')"), "\(broken.stderr)")
  }

  @Test(.offThePool) func killingABlessLeavesTheOldBaselineIntact() async throws {
    let dir = try CLI.scratch(["suites/s.yaml": Self.suite(10)])
    _ = try await Self.run(Self.suite(10), in: dir, out: "small")
    _ = try await CLI.run(["baseline", "accept", "small/results.json"], in: dir)
    let baseline = dir.appendingPathComponent("baselines/s.json")
    let old = try Data(contentsOf: baseline)
    _ = try await Self.run(Self.suite(20_000), in: dir, out: "big", extra: ["-j", "64"])

    // How long a whole bless takes (in a copy), then kills spread over that time.
    let copy = try CLI.scratch()
    try FileManager.default.createDirectory(at: copy.appendingPathComponent("big"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: dir.appendingPathComponent("big/results.json"), to: copy.appendingPathComponent("big/results.json"))
    let clock = ContinuousClock()
    let start = clock.now
    _ = try await CLI.run(["baseline", "accept", "big/results.json"], in: copy)
    let whole = clock.now - start
    var killedWithOldIntact = 0
    for step in 1...8 {
      let delay = whole * (Double(step) / 10)
      let r = try await CLI.run(["baseline", "accept", "big/results.json"], in: dir) { process in
        try await Task.sleep(for: delay)
        kill(process.processIdentifier, SIGKILL)
      }
      let now = try Data(contentsOf: baseline)
      if r.status == SIGKILL, now == old { killedWithOldIntact += 1 }
      // Either the old bytes or a complete new baseline, never a torn file.
      #expect(now == old || (try? JSONSerialization.jsonObject(with: now)) != nil)
      if now != old { break }  // the bless got through before the kill: nothing more to test
    }
    #expect(killedWithOldIntact >= 1)
  }
}
