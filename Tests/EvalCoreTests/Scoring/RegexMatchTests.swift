import EvalCore
import Testing

struct RegexMatchTests {
  @Test(arguments: [
    ("Order A-1042 shipped", #"[A-Z]-\d{4}"#, true),
    ("order a-1042 shipped", #"[A-Z]-\d{4}"#, false),
    ("order a-1042 shipped", #"(?i)[A-Z]-\d{4}"#, true),
    ("line one\nline two", "^line two$", false),
    ("line one\nline two", "(?m)^line two$", true),
  ])
  func truthTable(output: String, pattern: String, pass: Bool) async throws {
    #expect(try await Harness.passes("regex", .string(pattern), output: output) == pass)
    #expect(try await Harness.passes("not-regex", .string(pattern), output: output) == !pass)
  }

  @Test func invalidPatternIsALoadError() {
    let d = Harness.buildError("regex", "([unclosed")
    #expect(d?.message.contains("invalid regex") == true)
    #expect(d?.location == Harness.here)
  }
}
