import EvalCore
import Testing

/// Weights, `assert-set`, thresholds and `not-` combined, with promptfoo's semantics.
struct ScorerTests {
  func spec(_ type: String, _ value: JSONValue, weight: Double = 1, metric: String? = nil) -> AssertionSpec {
    var s = Harness.spec(type, value)
    s.weight = weight
    s.metric = metric
    return s
  }

  func score(_ specs: [AssertionSpec], threshold: Double? = nil, output: String) async throws -> Scorer.Verdict {
    let plan = try ScoringPlan.build(specs, threshold: threshold, registry: .standard)
    return await Scorer.score(plan, AssertionInput(output: output))
  }

  @Test func withoutThresholdEveryAssertionMustPass() async throws {
    let v = try await score([spec("contains", "a"), spec("contains", "z")], output: "abc")
    #expect(!v.pass)
    #expect(v.score == 0.5)
  }

  @Test func testThresholdOverWeightedScore() async throws {
    let specs = [spec("contains", "a", weight: 3), spec("contains", "z", weight: 1)]
    let pass = try await score(specs, threshold: 0.75, output: "abc")
    #expect(pass.pass)
    #expect(pass.score == 0.75)
    let fail = try await score(specs, threshold: 0.8, output: "abc")
    #expect(!fail.pass)
  }

  @Test func weightZeroRecordsButNeverDecides() async throws {
    let v = try await score([spec("contains", "a"), spec("contains", "z", weight: 0)], output: "abc")
    #expect(v.pass)
    #expect(v.score == 1)
    #expect(v.results[1].pass == false)
  }

  @Test func assertSetWithThreshold() async throws {
    var set = Harness.spec("assert-set", nil, threshold: 0.5)
    set.children = [spec("contains", "a"), spec("contains", "y"), spec("contains", "z")]
    let one = try await score([set], output: "abc")
    #expect(!one.pass)
    let two = try await score([set], output: "abcy")
    #expect(two.pass)
    #expect(two.results[0].children?.count == 3)
  }

  @Test func assertSetWithoutThresholdNeedsAll() async throws {
    var set = Harness.spec("assert-set")
    set.children = [spec("contains", "a"), spec("contains", "b")]
    #expect(try await score([set], output: "ab").pass)
    #expect(try await !score([set], output: "a").pass)
  }

  @Test func emptyOrNegatedSetIsALoadError() {
    #expect(Harness.buildError("assert-set") != nil)
    var negated = Harness.spec("not-assert-set")
    negated.children = [spec("contains", "a")]
    #expect(throws: Diagnostic.self) { try ScoringPlan.build([negated], threshold: nil, registry: .standard) }
  }

  @Test func noAssertionsPasses() async throws {
    let v = try await score([], output: "anything")
    #expect(v.pass)
    #expect(v.score == 1)
  }

  @Test func unknownTypeSuggestsTheNearest() {
    let d = Harness.buildError("contians", "x")
    #expect(d?.message == "unknown assertion type 'contians'; did you mean 'contains'?")
  }

  @Test func failedLeavesReachIntoSets() async throws {
    var set = Harness.spec("assert-set")
    set.children = [spec("contains", "a"), spec("contains", "q")]
    let v = try await score([set], output: "a")
    #expect(v.results[0].failedLeaves.map(\.reason) == [#"output does not contain "q""#])
  }
}
