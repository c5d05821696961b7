import Foundation

/// `factuality`: a judge compares the output with the expert answer in `value` for the case's question
/// (`vars.query`, `vars.question` or the prompt) and picks a category (prompt `factuality@1`): A subset,
/// B superset, C same details, D disagreement, E differences that do not matter. Each category has a
/// score (default 1, except D = 0); passes when it reaches `threshold` (default 0.5). `value` may be
/// `{expected, scores: {A: 1, B: 0.5, …}}`.
public struct Factuality: ModelGraded {
  let expected: String
  let scores: [String: Double]
  let judging: Judging
  var promptVersion: String { JudgePrompts.factualityVersion }
  var reminder: String {
    "Reply with only the JSON object {\"category\": \"A\"|\"B\"|\"C\"|\"D\"|\"E\", \"reason\": \"…\"}."
  }

  /// The default score of each category.
  public static let defaultScores: [String: Double] = ["A": 1, "B": 1, "C": 1, "D": 0, "E": 1]

  /// Builds from a spec with the expert answer (or `{expected, scores}`) and a judge.
  public init(_ spec: AssertionSpec) throws {
    var scores = Factuality.defaultScores
    if case .object(let o)? = spec.value {
      guard let e = o["expected"]?.stringValue else {
        throw Diagnostic("'\(spec.displayType)' needs 'expected' (the expert answer) in its value")
      }
      expected = e
      for (k, v) in o["scores"]?.objectValue ?? [:] {
        guard scores[k.uppercased()] != nil, case .number(let x) = v, (0...1).contains(x) else {
          throw Diagnostic("'\(spec.displayType)' scores are A–E with values 0–1, found \(k): \(v.plainText)")
        }
        scores[k.uppercased()] = x
      }
    } else {
      expected = try spec.stringValue()
    }
    self.scores = scores
    judging = try Judging(spec, threshold: 0.5)
  }

  func messages(_ input: AssertionInput) -> Result<[ChatMessage], JudgeError> {
    JudgeInputs.need(JudgeInputs.question(input), "question").map {
      JudgePrompts.factuality(question: $0, expert: expected, submission: input.output)
    }
  }

  /// The category from `{"category": "B"}`, or from `(B)` / `Answer: B` in prose.
  func verdict(_ reply: String) -> JudgeVerdict? {
    var category: String?
    var reason = ""
    if let o = (JSONExtraction.whole(reply) ?? JSONExtraction.embedded(reply))?.objectValue {
      category = o["category"]?.stringValue?.trimmingCharacters(in: CharacterSet(charactersIn: "() ")).uppercased()
      reason = o["reason"]?.stringValue ?? ""
    } else if let m = reply.firstMatch(of: /\(([A-E])\)|(?:[Aa]nswer|[Cc]ategory)\s*:?\s*\(?([A-E])\b/) {
      category = String(m.output.1 ?? m.output.2 ?? "")
      reason = String(reply.prefix(120))
    }
    guard let category, let score = scores[category] else { return nil }
    return JudgeVerdict(pass: nil, score: score, reason: "(\(category)) " + reason)
  }
}
