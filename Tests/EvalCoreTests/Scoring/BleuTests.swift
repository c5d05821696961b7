import EvalCore
import Testing

struct BleuTests {
  @Test(arguments: [
    ("The cat sat on the mat.", "The cat sat on the mat.", true),
    ("The cat sat on the mat.", "A dog lay on the rug.", false),
    ("the cat is on the mat", "there is a cat on the mat", false),
    ("", "Something was expected here.", false),
  ])
  func truthTable(output: String, reference: String, pass: Bool) async throws {
    #expect(try await Harness.passes("bleu", .string(reference), output: output) == pass)
    #expect(try await Harness.passes("not-bleu", .string(reference), output: output) == !pass)
  }

  @Test func scoreIsSacrebleuOverAHundred() async throws {
    // sacrebleu.sentence_bleu("The cat sat on the mat.", ["A dog lay on the rug."]).score = 14.5357684…
    let r = try await Harness.result("bleu", "A dog lay on the rug.", threshold: 0.1, output: "The cat sat on the mat.")
    #expect(abs(r.score - 0.145357684) < 1e-9 && r.pass)
  }

  /// sacrebleu compares code points, and splits on Python's whitespace (which has U+001C…U+001F).
  /// Expected: `sacrebleu.sentence_bleu(output, [reference]).score / 100` (sacrebleu 2.6.0).
  @Test(arguments: [
    ("Le cafe\u{301} est ouvert.", "Le caf\u{E9} est ouvert.", 0.4272870063962342),  // NFD vs NFC
    ("10 \u{212B}", "10 \u{C5}", 0.4999999999999999),  // Angstrom sign vs Å
    ("\u{F900}\u{F901}", "\u{8C48}\u{66F4}", 0),  // CJK compatibility ideographs vs their NFC
    ("\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}\u{110B}\u{1165} 문장", "한국어 문장", 0.4999999999999999),  // jamo
    ("the\u{1C}cat\u{1D}sat\u{1E}on\u{1F}mat", "the cat sat on mat", 1.0000000000000004),
  ])
  func unicodeAsSacrebleu(output: String, reference: String, expected: Double) async throws {
    let r = try await Harness.result("bleu", .string(reference), threshold: 0, output: output)
    #expect(abs(r.score - expected) < 1e-9, "\(r.score) vs \(expected)")
  }

  @Test func severalReferencesAreMergedAsSacrebleuDoes() async throws {
    // sacrebleu.sentence_bleu(output, references).score = 50.81327481546149; the best single reference
    // scores 48.892302243490086.
    let references: JSONValue = .array(["The cat sat on the mat.", "There is a cat on the mat."])
    let r = try await Harness.result("bleu", references, threshold: 0.5, output: "The cat is on the mat.")
    #expect(abs(r.score - 0.5081327481546149) < 1e-9 && r.pass)
  }

  @Test func theClosestReferenceLengthIsTheShorterOnATie() {
    // Output of 3 tokens, references of 5 and 1: both 2 away, so the shorter sets the length (no brevity
    // penalty). sacrebleu.sentence_bleu("a b c", ["a b c d e", "a"]).score = 100.00000000000004; with the
    // longer one alone, 51.341711903259224.
    #expect(abs(TextMetrics.bleu(prediction: "a b c", references: ["a b c d e", "a"]) - 1.0000000000000004) < 1e-9)
    #expect(abs(TextMetrics.bleu(prediction: "a b c", reference: "a b c d e") - 0.51341711903259224) < 1e-9)
  }
}
