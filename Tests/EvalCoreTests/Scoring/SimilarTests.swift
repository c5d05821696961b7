import EvalCore
import Testing

struct SimilarTests {
  /// Embeddings by text, as an embedding provider would return them (JSON arrays).
  static let vectors: [String: [Double]] = [
    "The refund window is 30 days.": [1, 0, 0],
    "You have 30 days to ask for a refund.": [0.9, 0.1, 0],
    "Our office is in Berlin.": [0, 0, 1],
  ]

  static func grade(_ type: String, _ value: JSONValue, threshold: Double? = nil, output: String) async throws
    -> AssertionResult
  {
    var spec = Harness.spec(type, value, threshold: threshold)
    spec.judge = ProviderSpec(id: "openai:embedding:test", location: Harness.here)
    let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    let call: JudgeCall = { _, messages, _ in
      guard let v = Self.vectors[messages.last?.content ?? ""] else { return .success("not a vector") }
      return .success(JSONValue.array(v.map { .number($0) }).canonicalJSON)
    }
    let verdict = await Scorer.score(plan, AssertionInput(output: output, judge: call))
    return try #require(verdict.results.first)
  }

  static let expected = "The refund window is 30 days."

  @Test(arguments: [
    ("similar", "You have 30 days to ask for a refund.", true),  // cosine 0.9939
    ("similar", "Our office is in Berlin.", false),
    ("similar:cosine", "The refund window is 30 days.", true),
    ("similar:dot", "You have 30 days to ask for a refund.", true),  // 0.9
    ("similar:euclidean", "You have 30 days to ask for a refund.", true),  // 0.1414
    ("similar:euclidean", "Our office is in Berlin.", false),  // 1.4142
  ])
  func truthTable(type: String, output: String, pass: Bool) async throws {
    #expect(try await Self.grade(type, .string(Self.expected), output: output).pass == pass)
    #expect(try await Self.grade("not-" + type, .string(Self.expected), output: output).pass == !pass)
  }

  @Test func theClosestReferenceCountsAndTheScoreIsTheSimilarity() async throws {
    let r = try await Self.grade(
      "similar", .array(["Our office is in Berlin.", .string(Self.expected)]), output: "The refund window is 30 days.")
    #expect(r.pass && abs(r.score - 1) < 1e-12 && r.reason == "cosine 1.0000 ≥ 0.75")
  }

  @Test func aReplyThatIsNoEmbeddingIsAnError() async throws {
    let r = try await Self.grade("similar", "unknown text", output: "The refund window is 30 days.")
    #expect(!r.pass && r.reason.hasPrefix("embedding error"))
    #expect(Harness.buildError("similar", "x")?.message.contains("needs an embedding provider") == true)
  }
}
