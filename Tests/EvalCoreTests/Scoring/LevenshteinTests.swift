import EvalCore
import Testing

struct LevenshteinTests {
  @Test(arguments: [
    ("kitten", "sitting", 3.0, true),
    ("kitten", "sitting", 2.0, false),
    ("same", "same", 0.0, true),
    ("", "abc", 3.0, true),
  ])
  func truthTable(output: String, value: String, threshold: Double, pass: Bool) async throws {
    #expect(try await Harness.passes("levenshtein", .string(value), threshold: threshold, output: output) == pass)
    #expect(try await Harness.passes("not-levenshtein", .string(value), threshold: threshold, output: output) == !pass)
  }

  @Test func defaultThresholdIsFive() async throws {
    #expect(try await Harness.passes("levenshtein", "abcdefgh", output: "abc"))
    #expect(try await !Harness.passes("levenshtein", "abcdefghi", output: "abc"))
  }

  @Test(arguments: [("kitten", "sitting", 3), ("flaw", "lawn", 2), ("", "", 0), ("a", "", 1), ("über", "uber", 1)])
  func distance(a: String, b: String, d: Int) {
    #expect(EditDistance.levenshtein(a, b) == d)
  }
}
