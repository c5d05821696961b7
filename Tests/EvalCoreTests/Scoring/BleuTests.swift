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
}
