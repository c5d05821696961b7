import EvalCore
import Foundation
import Testing

/// Suites that used to crash evalgate or run silently wrong are located errors (exit 2) before anything is
/// built or called.
struct SuiteShapeTests {
  static let matrix =
    "prompts: [\"{{ a }} {{ b }} {{ c }} {{ d }}\"]\nproviders: [echo]\ntests:\n  - vars:\n"
    + "abcd".map { k in "      \(k): [\((0..<1000).map(String.init).joined(separator: ", "))]\n" }.joined()

  @Test(arguments: [
    (
      "prompts: [hi]\nproviders: [echo]\nrepeat: 99999999999\ntests:\n  - vars: { a: 1 }\n",
      "s.yaml:3:9: error: 'repeat' 99,999,999,999 makes 99,999,999,999 samples of 1 case, over the limit of 10,000,000"
    ),
    (
      matrix,
      "s.yaml:4:5: error: this test expands to 1,000,000,000,000 cases (vars.a (1,000 values) × vars.b (1,000 values)"
    ),
    ("prompts: 42\nproviders: [echo]\ntests:\n  - vars: { a: 1 }\n", "s.yaml:1:10: error: a prompt must be text"),
    (
      "prompts: [\"{{ a }}\"]\nproviders: [echo]\ntests: { vars: { a: 1 } }\n",
      "s.yaml:3:8: error: 'tests' must be a list of tests or a 'file://' path, found a mapping"
    ),
    (
      "prompts: [\"hi \u{FFFD}\"]\nproviders: [echo]\ntests:\n  - vars: { a: 1 }\n",
      "s.yaml:1:15: error: the file is not valid UTF-8: byte 0xFF"
    ),
  ])
  func aBadShapeIsALocatedErrorBeforeAnythingRuns(suite: String, error: String) async throws {
    let dir = try CLI.scratch([:])
    // The replacement character stands for one invalid byte, written raw.
    var bytes = Array(suite.utf8)
    if let at = bytes.firstRange(of: Array("\u{FFFD}".utf8)) { bytes.replaceSubrange(at, with: [0xFF]) }
    try Data(bytes).write(to: dir.appendingPathComponent("s.yaml"))
    for command in ["validate", "list", "run"] {
      let r = try await CLI.run([command, "s.yaml"], in: dir, timeout: .seconds(60))
      #expect(r.status == 2, "\(command): \(r.stdout)\(r.stderr)")
      #expect(r.stderr.contains(error), "\(command): \(r.stderr)")
    }
    #expect(!CLI.exists(dir, "reports/results.json"))
  }

  @Test func validateCountsSamplesAndMaxCasesRaisesTheLimit() async throws {
    let dir = try CLI.scratch([
      "s.yaml": "prompts: [\"q{{ n }}\"]\nproviders: [echo]\nrepeat: 3\ntests:\n  - vars: { n: [1, 2, 3, 4] }\n"
    ])
    let ok = try await CLI.run(["validate", "s.yaml"], in: dir)
    #expect(ok.stdout.hasPrefix("OK: 1 suite, 4 prompt cases (12 samples with repeats)"), "\(ok.stdout)")
    let low = try await CLI.run(["validate", "s.yaml", "--max-cases", "10"], in: dir)
    #expect(low.status == 2 && low.stderr.contains("'repeat' 3 makes 12 samples of 4 cases, over the limit of 10"))
    try "version: 1\nmaxCases: 10\n".write(
      to: dir.appendingPathComponent("evalgate.yaml"), atomically: true, encoding: .utf8)
    #expect(try await CLI.run(["run", "s.yaml"], in: dir).status == 2)
  }
}
