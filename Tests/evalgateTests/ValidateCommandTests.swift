import Foundation
import Testing

/// `evalgate validate` refuses what `evalgate run` would refuse, with the same located error and exit code,
/// and writes nothing.
struct ValidateCommandTests {
  static let hosted = """
    prompts: ["{{ q }}"]
    providers:
      - id: openai:chat:gpt-4o-mini
        label: hosted
    tests:
      - { vars: { q: a }, assert: [{ type: contains, value: a }] }
    """
  /// No key, and the vendor's own URL (where a key is required).
  static let noKey = ["OPENAI_API_KEY": "", "OPENAI_BASE_URL": "https://api.openai.com/v1"]

  @Test func unsetAPIKeyIsRefusedAsRunRefusesItUnlessOffline() async throws {
    let dir = try CLI.scratch(["suites/hosted.yaml": Self.hosted])
    let validate = try await CLI.run(["validate"], in: dir, environment: Self.noKey)
    #expect(validate.status == 2, "\(validate.stdout)")
    let error = try #require(validate.stderr.split(separator: "\n").first.map(String.init))
    #expect(error.hasPrefix("suites/hosted.yaml:"), "\(error)")
    #expect(error.contains(": error: provider 'hosted' needs an API key: set the environment variable OPENAI_API_KEY"))
    #expect(!CLI.exists(dir, "reports"), "validate wrote the output dir")
    // run refuses it the same way, before any call.
    let run = try await CLI.run(["run", "--no-cache"], in: dir, environment: Self.noKey)
    #expect(run.status == 2)
    #expect(run.stderr.contains(error), "\(run.stderr)")
    // --offline checks everything but the key.
    let offline = try await CLI.run(["validate", "--offline"], in: dir, environment: Self.noKey)
    #expect(offline.status == 0, "\(offline.stderr)")
    #expect(offline.stdout.contains("OK: 1 suite, 1 prompt case, 0 retrieval fixtures; 0 providers ready"))
    #expect(offline.stdout.contains("note: --offline: API keys not checked for 'hosted'"))
    // With the key set, it is ready.
    let keyed = try await CLI.run(
      ["validate"], in: dir, environment: ["OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "https://api.openai.com/v1"])
    #expect(keyed.status == 0 && keyed.stdout.contains("1 provider ready"), "\(keyed.stderr)")
  }

  @Test func unwritableOutputDirAndBrokenBaselineAreRefused() async throws {
    let dir = try CLI.scratch([
      "suites/s.yaml": "prompts: [hi]\nproviders: [echo]\ntests:\n  - assert: [{ type: contains, value: hi }]\n",
      "blocker": "a file, not a folder\n",
      "baselines/s.json": "<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n",
    ])
    let r = try await CLI.run(["validate", "-o", "blocker/out"], in: dir)
    #expect(r.status == 2)
    let lines = r.stderr.split(separator: "\n").map(String.init)
    #expect(lines.contains { $0.hasPrefix("baselines/s.json:1:1: error: ") }, "\(r.stderr)")
    #expect(
      lines.contains { $0.contains("error: cannot create the output dir 'blocker/out'") && $0.contains("-o") },
      "\(r.stderr)")
    // Run refuses the same output dir before calling anything.
    let run = try await CLI.run(["run", "--no-baseline", "-o", "blocker/out"], in: dir)
    #expect(run.status == 2 && run.stderr.contains("cannot create the output dir 'blocker/out'"), "\(run.stderr)")
    // Fixed, validate says OK and names what it read.
    try FileManager.default.removeItem(at: dir.appendingPathComponent("baselines"))
    let ok = try await CLI.run(["validate"], in: dir)
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(ok.stdout.contains("output dir reports writable") && !CLI.exists(dir, "reports"), "\(ok.stdout)")
  }
}

extension ValidateCommandTests {
  @Test func okLineCountsWhatTheRunCounts() async throws {
    let dir = try CLI.scratch()
    for name in ["suites", "baselines"] {
      try FileManager.default.copyItem(
        at: CLI.packageRoot.appendingPathComponent(name), to: dir.appendingPathComponent(name))
    }
    let ok = try await CLI.run(["validate"], in: dir)
    #expect(ok.status == 0, "\(ok.stderr)")
    let run = try await CLI.run(["run", "--no-history"], in: dir)
    #expect(run.status == 0, "\(run.stdout)")
    // The run's units, as validate said them before it.
    let cases = try #require(run.stdout.firstMatch(of: #/\n(\d+) prompt cases: /#)?.1)
    let retrieval = try #require(
      run.stdout.firstMatch(of: #/\n(\d+) retrieval fixtures?: (\d+) measures over (\d+) queries/#))
    #expect(ok.stdout.contains(", \(cases) prompt cases, "), "\(ok.stdout)")
    #expect(
      ok.stdout.contains(
        "\(retrieval.1) retrieval fixture\(retrieval.1 == "1" ? "" : "s") (\(retrieval.2) measures over \(retrieval.3) queries)"
      ),
      "\(ok.stdout)")
    #expect(ok.stdout.contains("; baselines read from baselines; output dir reports writable"))
  }
}
