import EvalCore
import Testing

struct LLMRubricTests {
  @Test(
    arguments: [
      (#"{"pass": true, "score": 0.9, "reason": "ok"}"#, true, 0.9),
      ("```json\n{\"pass\": false, \"score\": 0.1}\n```", false, 0.1),
      (#"Here you go: {"pass": "yes", "score": 7, "reason": "fine"} — done"#, true, 0.7),  // 0–10 scale
      (#"{"score": 0.4}"#, nil, 0.4),
    ] as [(String, Bool?, Double)])
  func usableRepliesAreRead(reply: String, pass: Bool?, score: Double) {
    let v = JudgeVerdict.parse(reply)
    #expect(v?.pass == pass && abs((v?.score ?? -1) - score) < 1e-12, "\(String(describing: v))")
  }

  @Test(arguments: ["I think it is fine", #"{"pass": true, "sco"#, #"{"reason": "no verdict"}"#, #"{"score": 42}"#, ""])
  func unusableRepliesAreNot(reply: String) {
    #expect(JudgeVerdict.parse(reply) == nil)
  }

  /// A judge that gives `replies` in turn and records what it was asked.
  actor ScriptedJudge {
    var replies: [String]
    var asked: [[ChatMessage]] = []
    init(_ replies: [String]) { self.replies = replies }
    func answer(_ messages: [ChatMessage]) -> String {
      asked.append(messages)
      return replies.isEmpty ? "" : replies.removeFirst()
    }
  }

  func outcome(_ replies: [String], threshold: Double? = nil) async throws -> (AssertionResult, Int) {
    let judge = ScriptedJudge(replies)
    var spec = Harness.spec("llm-rubric", "Is polite", threshold: threshold)
    spec.judge = ProviderSpec(id: "openai:chat:judge", location: Harness.here)
    let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    let call: JudgeCall = { _, messages, _ in .success(await judge.answer(messages)) }
    let verdict = await Scorer.score(plan, AssertionInput(output: "Thank you!", judge: call))
    return (try #require(verdict.results.first), await judge.asked.count)
  }

  @Test func aBadReplyGetsOneReAskThenAJudgeError() async throws {
    let (recovered, calls) = try await outcome(["no json here", #"{"pass": true, "score": 1}"#])
    #expect(recovered.pass && calls == 2)
    let (failed, tries) = try await outcome(["no json", "still none"])
    #expect(!failed.pass && failed.reason.contains("judge error") && tries == 2)
  }

  @Test func aThresholdUsesTheScore() async throws {
    #expect(try await outcome([#"{"pass": false, "score": 0.8}"#], threshold: 0.7).0.pass)
    #expect(try await !outcome([#"{"pass": true, "score": 0.6}"#], threshold: 0.7).0.pass)
  }

  @Test func aJudgeIsRequired() {
    #expect(Harness.buildError("llm-rubric", "Is polite")?.message.contains("needs a judge") == true)
  }

  @Test func judgeRepeatsTakeTheMajorityOrTheMean() async throws {
    func run(_ replies: [String], aggregate: String) async throws -> (AssertionResult, [Int]) {
      let judge = ScriptedJudge(replies)
      let samples = SampleLog()
      var spec = Harness.spec("llm-rubric", "Is polite")
      spec.judge = ProviderSpec(id: "openai:chat:judge", location: Harness.here)
      spec.judgeRepeats = 3
      spec.judgeAggregate = aggregate
      let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
      let call: JudgeCall = { _, messages, sample in
        await samples.add(sample)
        return .success(await judge.answer(messages))
      }
      let verdict = await Scorer.score(plan, AssertionInput(output: "Thanks!", judge: call))
      return (try #require(verdict.results.first), await samples.seen)
    }
    let replies = [
      #"{"pass": true, "score": 1}"#, #"{"pass": false, "score": 0}"#, #"{"pass": true, "score": 0.2}"#,
    ]
    let (majority, samples) = try await run(replies, aggregate: "majority")
    #expect(majority.pass && majority.reason.hasSuffix("[2 of 3 verdicts pass]") && samples == [0, 1, 2])
    let (mean, _) = try await run(replies, aggregate: "mean")
    #expect(!mean.pass && abs(mean.score - 0.4) < 1e-12)
  }

  actor SampleLog {
    var seen: [Int] = []
    func add(_ i: Int) { seen.append(i) }
  }
}
