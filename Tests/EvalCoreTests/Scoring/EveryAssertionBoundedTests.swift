import EvalCore
import EvalTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Every assertion type is linear or bounded in its input: on 1 MB adversarial outputs each evaluation
/// takes well under a second in a release build (scripts/bench-assertions measures that). Here, in a debug
/// build, on 128 kB of the same shapes (a quadratic scan still takes minutes), each must stay under 2 s of CPU; serialized, so it never holds more than one of the test
/// threads the timing-sensitive tests need.
@Suite(.serialized)
struct EveryAssertionBoundedTests {
  /// A typical value for each type, as a suite would give it.
  static let values: [String: JSONValue] = [
    "equals": "expected answer", "contains": "needle", "icontains": "needle", "contains-any": ["a", "b", "c"],
    "icontains-any": ["a", "b"], "contains-all": ["a", "b"], "icontains-all": ["a", "b"], "starts-with": "Hello",
    "regex": #"\b(\d{3})-(\d{4})\b"#, "json-schema": ["type": "object", "required": ["a"]],
    "levenshtein": "expected answer", "word-count": ["min": 1, "max": 100], "finish-reason": "stop",
    "prompt-leak": "canary7f3a9", "rouge-n": "the cat sat on the mat", "rouge-1": "the cat sat on the mat",
    "rouge-2": "the cat sat on the mat", "rouge-l": "the cat sat on the mat", "bleu": "the cat sat on the mat",
    "chrf": "the cat sat on the mat", "llm-rubric": "is polite", "factuality": "Paris", "model-graded-closedqa": "x",
    "g-eval": "coherent", "context-recall": "Paris", "similar": "Paris", "similar:cosine": "Paris",
    "similar:dot": "Paris", "similar:euclidean": "Paris", "javascript": "output.length > 0",
    "python": "len(output) > 0",
    "is-valid-openai-tools-call": [
      ["type": "function", "function": ["name": "f", "parameters": ["type": "object"]]]
    ],
    "is-valid-openai-function-call": [["name": "f", "parameters": ["type": "object"]]], "select-best": "the best",
    "is-sql": ["databaseType": "SQLite"], "contains-sql": ["databaseType": "SQLite"],
  ]
  static let thresholds: [String: Double] = ["latency": 1000, "cost": 0.01]

  /// Outputs that defeat naive scans: runs of brackets, quotes and separators, repeated tokens,
  /// near-misses of every pattern, and Unicode.
  static let outputs: [(String, String)] = {
    let mb = 1 << 17
    func run(_ s: String) -> String { String(repeating: s, count: mb / max(1, s.utf8.count)) }
    return [
      ("[", run("[")), ("{\"a\":", run("{\"a\":")), ("quotes", run("\"")), ("fences", run("```json\n{")),
      ("words", run("the cat ")), ("digits", run("1234567890")), ("at-signs", run("a@b.")),
      ("sk-", run("sk-proj-")), ("dots", run("1.1.")), ("unicode", run("é字😀\u{0301} ")), ("newlines", run("\n")),
      ("tool-calls", "[" + run("{\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},") + "{}]"),
    ]
  }()

  static var types: [String] { AssertionRegistry.standard.knownTypes.filter { $0 != AssertionRegistry.setType } }

  @Test(arguments: types)
  func oneMegabyteOfAdversarialOutputIsBounded(type: String) async throws {
    try await HeavyWork.run { try await Self.bounded(type: type) }
  }

  static func bounded(type: String) async throws {
    var spec = AssertionSpec(
      type: type, value: values[type], threshold: thresholds[type], location: Harness.here)
    spec.judge = ProviderSpec(id: "openai:chat:judge", location: Harness.here)
    let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    // Judges and embedders answer at once, so the assertion's own work is what is measured.
    let judge: JudgeCall = { _, _, _ in .success(type.hasPrefix("similar") ? "[1, 0]" : #"{"pass": true, "score": 1}"#)
    }
    // Six of the twelve shapes here (the costliest for the scanners, metrics and JSON readers); the release
    // benchmark runs all twelve.
    for (name, output) in outputs where ["[", "quotes", "words", "at-signs", "dots", "newlines"].contains(name) {
      let input = AssertionInput(
        output: output, finishReason: "stop", latencyMs: 10, vars: ["context": "Paris is in France."], judge: judge,
        prompt: "Where is Paris?")
      let start = HeavyWork.threadCPUSeconds()
      _ = await Scorer.score(plan, input)
      let spent = HeavyWork.threadCPUSeconds() - start
      #expect(spent < 2, "\(type) on 128 kB of \(name): \(spent) s of CPU")
    }
  }
}
