import EvalCore
import Testing

struct RegexMatchTests {
  @Test(arguments: [
    ("Order A-1042 shipped", #"[A-Z]-\d{4}"#, true),
    ("order a-1042 shipped", #"[A-Z]-\d{4}"#, false),
    ("order a-1042 shipped", #"(?i)[A-Z]-\d{4}"#, true),
    ("line one\nline two", "^line two$", false),
    ("line one\nline two", "(?m)^line two$", true),
    // JavaScript RegExp syntax promptfoo configs use: lookbehind, negative lookbehind, named groups, backreferences.
    ("total: $42", #"(?<=\$)\d+"#, true),
    ("total: 42", #"(?<=\$)\d+"#, false),
    ("price 42 EUR", #"(?<!\$)\b42\b"#, true),
    ("2026-12-02", #"(?<year>\d{4})-(?<month>\d{2})"#, true),
    ("abcabc", #"(abc)\1"#, true),
    ("a\nb", "(?s)a.b", true),
    ("a\nb", "a.b", false),
    ("café 字", #"caf\u00e9 \p{Han}"#, true),
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
