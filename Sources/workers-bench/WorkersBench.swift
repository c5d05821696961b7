import EvalCore
import EvalWorkers
import Foundation

/// 1,000 `javascript` (and `python`) assertions scored through the real workers, as a run scores them:
/// a task group with the run's default concurrency, each through ``Scorer``. The time includes starting
/// the workers. Target (issue 16 item 4): 1,000 javascript assertions in under 2 s.
@main
struct WorkersBench {
  static func main() async throws {
    let count = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1000
    let concurrency = 8
    let here = SourceLocation(file: "bench.yaml", line: 1, column: 1)
    let cases: [(String, String)] = [
      ("javascript", "output.includes(context.vars.topic) && output.length < 500"),
      (
        "javascript",
        "const words = output.split(/\\s+/);\nreturn { pass: words.length > 2, score: Math.min(1, words.length / 10), reason: 'words' };"
      ),
      ("python", "context['vars']['topic'] in output and len(output) < 500"),
    ]
    print("assertion                                   n      total     per call  target")
    for (type, code) in cases {
      let workers = CodeWorkers()
      let plan = try ScoringPlan.build(
        [AssertionSpec(type: type, value: .string(code), location: here)], threshold: nil, registry: .standard)
      let clock = ContinuousClock()
      let start = clock.now
      let passed = await withTaskGroup(of: Bool.self) { group in
        var next = 0
        var passed = 0
        func add() {
          let i = next
          next += 1
          group.addTask {
            let input = AssertionInput(
              output: "Bananas are yellow fruits high in potassium, case \(i).", vars: ["topic": "potassium"],
              prompt: "Tell me about potassium", code: workers)
            let verdict = await Scorer.score(plan, input)
            return verdict.pass && verdict.error == nil
          }
        }
        while next < min(concurrency, count) { add() }
        while let ok = await group.next() {
          if ok { passed += 1 }
          if next < count { add() }
        }
        return passed
      }
      let elapsed = start.duration(to: clock.now)
      let seconds = elapsed.inSeconds
      await workers.shutdown()
      let label = (type + ": " + code.prefix(30).replacingOccurrences(of: "\n", with: " ")).padding(
        toLength: 40, withPad: " ", startingAt: 0)
      print(
        String(
          format: "%@ %6d %8.3f s %9.1f µs  %@", label, count, seconds, seconds / Double(count) * 1e6,
          type == "javascript"
            ? (seconds < 2 * Double(count) / 1000 ? "< 2 s per 1,000: ok" : "< 2 s per 1,000: MISSED") : "-"))
      if passed != count { print("  only \(passed) of \(count) passed: the bench is wrong") }
    }
  }
}
