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
}
