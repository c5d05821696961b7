import Foundation
import Testing

/// Model output with terminal escapes, NUL, DEL, C1 controls and bidi overrides reaches no text sink raw:
/// console, GitHub annotations and job summary, summary.md, junit.xml, report.html show them visibly.
struct ControlBytesTests {
  static let hostile: [Unicode.Scalar] = [
    "\u{1B}", "\u{07}", "\u{00}", "\u{7F}", "\u{85}", "\u{9B}", "\u{202E}", "\u{2066}",
  ]

  @Test func hostileControlsAreShownNeverActedOn() async throws {
    let dir = try CLI.scratch([
      "suites/s.yaml": #"""
      prompts: ["{{ text }}"]
      providers: [echo]
      tests:
        - description: "title \e]0;pwned\a"
          vars: { text: "a\e]0;pwned\a b\e[2J c\0 d\x7f e\N f\x9b g\u202Eevil h\u2066" }
          assert: [{ type: equals, value: "something else" }]
      """#
    ])
    let summaryFile = dir.appendingPathComponent("step-summary.md")
    FileManager.default.createFile(atPath: summaryFile.path, contents: nil)
    let r = try await CLI.run(
      ["run", "--no-baseline"], in: dir,
      environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summaryFile.path])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stdout.contains("::error "), "\(r.stdout)")
    var sinks = [
      "stdout": r.stdout, "stderr": r.stderr, "step summary": try String(contentsOf: summaryFile, encoding: .utf8),
    ]
    for name in ["summary.md", "junit.xml", "report.html"] {
      sinks[name] = try String(contentsOf: dir.appendingPathComponent("reports/\(name)"), encoding: .utf8)
    }
    for (name, text) in sinks {
      for scalar in Self.hostile where text.unicodeScalars.contains(scalar) {
        Issue.record("\(name) holds U+\(String(scalar.value, radix: 16, uppercase: true)) raw")
      }
    }
    #expect(r.stdout.contains("#x202E") && sinks["summary.md"]?.contains("#x202E") == true)
    #expect(sinks["report.html"]?.contains("#x1B") == true)
  }
}
