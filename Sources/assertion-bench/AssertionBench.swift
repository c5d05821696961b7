import EvalCore
import Foundation

/// Times every assertion type on 1 MB adversarial outputs (scripts/bench-assertions, release build): the
/// longest evaluation per type, against the 1 s target of docs/benchmarks.md. Not shipped.
@main
struct AssertionBench {
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
    "is-valid-openai-tools-call": [["type": "function", "function": ["name": "f", "parameters": ["type": "object"]]]],
  ]

  static func main() async throws {
    let mb = 1 << 20
    func run(_ s: String) -> String { String(repeating: s, count: mb / max(1, s.utf8.count)) }
    let outputs: [(String, String)] = [
      ("[", run("[")), ("{\"a\":", run("{\"a\":")), ("quotes", run("\"")), ("fences", run("```json\n{")),
      ("words", run("the cat ")), ("digits", run("1234567890")), ("at-signs", run("a@b.")),
      ("sk-", run("sk-proj-")), ("dots", run("1.1.")), ("unicode", run("é字😀\u{0301} ")), ("newlines", run("\n")),
      ("tool-calls", "[" + run("{\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},") + "{}]"),
    ]
    let here = SourceLocation(file: "bench.yaml", line: 1, column: 1)
    var worst: (String, String, Double) = ("", "", 0)
    print("type                         slowest  on")
    for type in AssertionRegistry.standard.knownTypes where type != AssertionRegistry.setType {
      var spec = AssertionSpec(
        type: type, value: values[type], threshold: type == "latency" ? 1000 : nil, location: here)
      spec.judge = ProviderSpec(id: "openai:chat:judge", location: here)
      let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
      let judge: JudgeCall = { _, _, _ in
        .success(type.hasPrefix("similar") ? "[1, 0]" : #"{"pass": true, "score": 1}"#)
      }
      var slowest = ("", 0.0)
      for (name, output) in outputs {
        let input = AssertionInput(
          output: output, finishReason: "stop", latencyMs: 10, vars: ["context": "Paris is in France."], judge: judge,
          prompt: "Where is Paris?")
        let clock = ContinuousClock()
        let start = clock.now
        _ = await Scorer.score(plan, input)
        let seconds = (clock.now - start).inSeconds
        if seconds > slowest.1 { slowest = (name, seconds) }
      }
      print(String(format: "%-28@ %6.1f ms  %@", type as NSString, slowest.1 * 1000, slowest.0 as NSString))
      if slowest.1 > worst.2 { worst = (type, slowest.0, slowest.1) }
    }
    print(String(format: "slowest overall: %@ on %@, %.1f ms (target < 1000 ms)", worst.0, worst.1, worst.2 * 1000))
  }
}
