import EvalCore
import Testing

/// What `javascript` and `python` assertions make of what user code returns (promptfoo's shapes), and that
/// a failure to run the code is an error, never a pass or a failure. The code runs in a stand-in here; the
/// real node and python3 workers are tested in EvalWorkersTests and end to end in evalgateTests.
struct CodeAssertionTests {
  /// Answers every call with one result and records the calls.
  final class Stub: CodeRunner, @unchecked Sendable {
    let result: Result<JSONValue?, ProviderError>
    var calls: [CodeCall] = []
    init(_ result: Result<JSONValue?, ProviderError>) { self.result = result }
    func call(_ call: CodeCall) async -> Result<JSONValue?, ProviderError> {
      calls.append(call)
      return result
    }
  }

  func outcome(
    _ type: String, returning value: JSONValue?, threshold: Double? = nil, value code: JSONValue = "output.length > 0"
  ) async throws -> AssertionResult {
    try await run(type, stub: Stub(.success(value)), threshold: threshold, code: code)
  }

  func run(_ type: String, stub: Stub, threshold: Double? = nil, code: JSONValue = "x") async throws -> AssertionResult
  {
    let plan = try ScoringPlan.build(
      [Harness.spec(type, code, threshold: threshold)], threshold: nil, registry: .standard)
    let verdict = await Scorer.score(
      plan, AssertionInput(output: "Yellow bananas", vars: ["topic": "fruit"], prompt: "Tell me", code: stub))
    return try #require(verdict.results.first)
  }

  @Test(arguments: ["javascript", "python"])
  func booleansPassOrFail(type: String) async throws {
    #expect(try await outcome(type, returning: true).pass)
    #expect(try await !outcome(type, returning: false).pass)
    #expect(try await !outcome("not-" + type, returning: true).pass)
  }

  @Test(arguments: ["javascript", "python"])
  func numbersAreScoresAgainstTheThresholdOrZero(type: String) async throws {
    let half = try await outcome(type, returning: 0.5)
    #expect(half.pass && half.score == 0.5)
    #expect(try await !outcome(type, returning: 0).pass)
    #expect(try await !outcome(type, returning: 0.5, threshold: 0.6).pass)
    #expect(try await outcome(type, returning: 0.6, threshold: 0.6).pass)
  }

  @Test(arguments: ["javascript", "python"])
  func gradingResultsKeepPassScoreAndReason(type: String) async throws {
    let r = try await outcome(
      type,
      returning: [
        "pass": true, "score": 0.75, "reason": "Looks good to me",
        "componentResults": [["pass": true, "score": 0.5], ["pass": false, "score": 0.5]],
      ])
    #expect(r.pass && r.score == 0.75)
    #expect(r.reason == "Looks good to me (components: 1/2 passed)")
    let bare = try await outcome(type, returning: ["pass": false])
    #expect(!bare.pass && bare.score == 0 && !bare.isError)
  }

  @Test(arguments: ["javascript", "python"])
  func unusableReturnsAreErrorsEvenUnderNot(type: String) async throws {
    for value: JSONValue? in [nil, .null, "yes", ["score": 1], ["pass": "true"], [true]] {
      let r = try await outcome(type, returning: value)
      #expect(r.isError, "\(String(describing: value))")
      let negated = try await outcome("not-" + type, returning: value)
      #expect(negated.isError && !negated.pass)
    }
  }

  @Test func aFailedCallIsAnErrorWithItsKind() async throws {
    let stub = Stub(.failure(ProviderError(.timeout, "node did not answer within 30 s")))
    let r = try await run("javascript", stub: stub)
    #expect(r.isError && r.error?.kind == .timeout)
    #expect(r.reason == "'javascript': node did not answer within 30 s")
  }

  @Test func withoutAWorkerTheAssertionIsErrored() async throws {
    let plan = try ScoringPlan.build([Harness.spec("python", "True")], threshold: nil, registry: .standard)
    let verdict = await Scorer.score(plan, AssertionInput(output: "x"))
    #expect(verdict.error?.kind == .configuration)
  }

  @Test func theCallCarriesPromptfoosArguments() async throws {
    let stub = Stub(.success(true))
    var spec = Harness.spec("python", "file:///tmp/check.py:grade")
    spec.config = ["fruitList": ["guava"]]
    let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    _ = await Scorer.score(
      plan, AssertionInput(output: "out", vars: ["topic": "fruit"], prompt: "Tell me", code: stub))
    let call = try #require(stub.calls.first)
    #expect(call.language == .python)
    #expect(call.source == .file(path: "/tmp/check.py", function: "grade"))
    #expect(call.arguments.first == "out")
    let context = try #require(call.arguments.last?.objectValue)
    #expect(context["vars"] == ["topic": "fruit"])
    #expect(context["prompt"] == "Tell me")
    #expect(context["config"] == ["fruitList": ["guava"]])
    #expect(context["test"]?.objectValue?["vars"] == ["topic": "fruit"])
  }

  @Test func anEmptyValueIsALoadError() {
    #expect(Harness.buildError("javascript", "  ")?.message.contains("needs a 'value'") == true)
    #expect(Harness.buildError("python")?.message.contains("file://path.py:function") == true)
  }

  @Test(arguments: [
    ("file://a.js", CodeSource.file(path: "a.js", function: nil)),
    ("file://dir/a.py:get_assert", .file(path: "dir/a.py", function: "get_assert")),
    ("file://a.py:Grader.grade", .file(path: "a.py", function: "Grader.grade")),
    ("file:///abs/x.mjs", .file(path: "/abs/x.mjs", function: nil)),
    ("output.includes('a:b')", .inline("output.includes('a:b')")),
  ])
  func sourcesParse(text: String, source: CodeSource) {
    #expect(CodeSource.parse(text) == source)
    #expect(CodeSource.parse(source.text) == source)
  }
}
