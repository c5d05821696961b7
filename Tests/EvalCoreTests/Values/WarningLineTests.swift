import EvalCore
import Testing

/// Recorded warnings printed as a compiler prints them.
struct WarningLineTests {
  @Test(arguments: [
    ("a/promptfooconfig.yaml:2:1: 'sharing' is ignored", "a/promptfooconfig.yaml:2:1: warning: 'sharing' is ignored"),
    ("prompts.txt:4: x: y", "prompts.txt:4: warning: x: y"),
    ("graded by openai:chat:gpt-4.1 (default)", "warning: graded by openai:chat:gpt-4.1 (default)"),
    ("history: cannot open", "warning: history: cannot open"),
  ])
  func locatedWarningsPutTheLocationFirst(warning: String, line: String) {
    #expect(WarningLine.text(warning) == line)
  }
}
