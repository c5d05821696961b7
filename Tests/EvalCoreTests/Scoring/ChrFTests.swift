import EvalCore
import Testing

struct ChrFTests {
  @Test(arguments: [
    ("The cat sat on the mat.", "The cat sat on the mat.", true),
    ("The cats sat on the mats.", "The cat sat on the mat.", true),  // inflections still overlap
    ("Completely unrelated words", "The cat sat on the mat.", false),
    ("", "The cat sat on the mat.", false),
  ])
  func truthTable(output: String, reference: String, pass: Bool) async throws {
    #expect(try await Harness.passes("chrf", .string(reference), output: output) == pass)
    #expect(try await Harness.passes("not-chrf", .string(reference), output: output) == !pass)
  }

  @Test func scoreIsSacrebleuOverAHundred() async throws {
    // sacrebleu.sentence_chrf("The cat sat on the mat.", ["A dog lay on the rug."]).score = 18.7471039…
    let r = try await Harness.result("chrf", "A dog lay on the rug.", output: "The cat sat on the mat.")
    #expect(abs(r.score - 0.187471039) < 1e-9 && !r.pass)
  }

  /// Character n-grams are of code points, after removing Python's whitespace (U+001C…U+001F and U+0085
  /// included). Expected: `sacrebleu.sentence_chrf(output, [reference]).score / 100` (sacrebleu 2.6.0).
  @Test(arguments: [
    ("the\u{1C}cat sat", "the cat sat", 1.0),
    ("the\u{1C}cat\u{85}sat\u{3000}on", "the cat sat on", 1.0),
    ("Le caf\u{E9}", "Le cafe\u{301}", 0.489329694934229),
    ("\u{212B}\u{2126}", "\u{C5}\u{3A9}", 0),
    ("\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}\u{110B}\u{1165} 문장", "한국어 문장", 0.10674486803519063),
  ])
  func unicodeAsSacrebleu(output: String, reference: String, expected: Double) async throws {
    let r = try await Harness.result("chrf", .string(reference), threshold: 0, output: output)
    #expect(abs(r.score - expected) < 1e-9, "\(r.score) vs \(expected)")
  }
}
