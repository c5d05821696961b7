import Foundation
import Testing

@testable import EvalCore

/// A streamed run's cases packed into rows (``PackedCases``) read back equal to what went in, compacted,
/// whatever their fields hold; the rows sort in the reports' order.
struct CaseListTests {
  /// A result with random content: ids of 16 hex digits or not, Unicode titles, optional numbers of every
  /// kind, token counts past 32 bits, errors, named metrics, vars and tags that rows cannot hold.
  static func random(_ rng: inout SplitMix64, template: EvalCase, plain: Bool = false) -> CaseResult {
    func pick<T>(_ options: [T]) -> T { options[Int(rng.next() % UInt64(options.count))] }
    // Plain: only what a packed row holds (the first option of each odd choice).
    func odd<T>(_ options: [T]) -> T { plain ? options[0] : pick(options) }
    func maybe<T>(_ value: @autoclosure () -> T) -> T? { rng.next() % 3 == 0 ? nil : value() }
    func number() -> Double { pick([0, -0.0, 0.5, 1, 1e-300, 123.456, Double(rng.next() % 100_000) / 7]) }
    func count() -> Int { plain ? pick([0, 1, 17, Int(Int32.max), -5]) : pick([Int(Int32.max) + 1, Int(Int32.min)]) }
    let attempts = (0..<pick([0, 1, 1, 1, 2, 5])).map { i -> AttemptResult in
      var a = AttemptResult(
        index: odd([i, i, 70_000]), outcome: pick([.passed, .passed, .passed, .skipped, .failed, .errored]),
        output: odd([nil, nil, "answer"]), model: maybe(pick(["gpt-4o", "llama", "ünï 🤖"])), latencyMs: number(),
        retries: pick([0, 0, 2]), timeToFirstTokenMs: maybe(number()),
        usage: rng.next() % 2 == 0
          ? nil
          : Usage(
            promptTokens: maybe(count()), completionTokens: maybe(count()), totalTokens: maybe(count()),
            cachedTokens: maybe(count()), reasoningTokens: maybe(count())),
        cost: maybe(number()), cached: maybe(rng.next() % 2 == 0), score: maybe(number()))
      a.tokensPerSecond = maybe(number())
      if !plain, rng.next() % 10 == 0 { a.error = ProviderError(.http, "boom", status: 500) }
      if !plain, rng.next() % 10 == 0 { a.gradingFailed = true }
      if !plain, rng.next() % 10 == 0 {
        let spec = AssertionSpec(
          type: "contains", metric: "tone", location: EvalCore.SourceLocation(file: "s.yaml", line: 3))
        a.assertions = [AssertionResult(spec: spec, outcome: .init(pass: true, score: 1, reason: "ok"), children: [])]
      }
      return a
    }
    var c = CaseResult(case: template, attempts: attempts)
    c.id = CaseID(
      rawValue: pick([
        String(format: "%016llx", rng.next()), String(format: "%016llX", rng.next()), "short", "", "ünïcode-id-0123456",
        String(format: "%015llx", rng.next() >> 4),
      ]))
    c.suite = pick(["s", "t", "ü"])
    c.file = pick(["s.yaml", "suites/other.yaml"])
    c.line = odd([nil, 1, 42, -1, Int(Int32.max) + 1])
    c.title = pick(["", "case", "naïve — 日本語 🤖", String(repeating: "x", count: 300)])
    c.prompt = pick(["p", "prompt two"])
    c.provider = pick(["counting", "openai:gpt-4o"])
    c.tags = odd([[], [CaseRecord.mustPassTag], ["smoke"], [CaseRecord.mustPassTag, CaseRecord.mustPassTag]])
    c.vars = odd([[:], ["q": "v"]])
    c.metadata = odd([[:], [:], ["k": 1]])
    c.testID = odd([nil, nil, "t1"])
    c.repeatCount = odd([1, 3, Int(Int32.max) + 1])
    c.score = maybe(number())
    c.outcome = pick([c.outcome, c.outcome, .passed])
    return c
  }

  @Test func everyCaseReadsBackAsItWentInCompacted() throws {
    let template = try RunnerTests.cases(1)[0]
    var rng = SplitMix64(seed: 17)
    var builder = CaseList.Builder(expected: 5_000)
    var expected: [CaseResult] = []
    for _ in 0..<5_000 {
      let c = Self.random(&rng, template: template, plain: rng.next() % 2 == 0)
      let compact = rng.next() % 4 != 0
      builder.append(c, compact: compact)
      expected.append(compact ? c.compacted() : c)
    }
    let list = builder.take()
    #expect(list.isPacked)
    #expect(list.count == expected.count)
    for i in expected.indices where list[i] != expected[i] {
      Issue.record("case \(i) read back as \(list[i]), not \(expected[i])")
      break
    }
    // Enough of them were plain enough to be packed, not kept whole.
    let whole = try #require(list.wholeCount)
    #expect(whole < expected.count * 9 / 10)
    #expect(whole > 0)
  }

  /// What the reports ask of a list without unpacking its cases (a case's suite and outcome, one suite's cases,
  /// the failures, the cases that may hold an error) reads as the same question asked of the unpacked cases.
  @Test func readsWithoutUnpackingAgreeWithTheCases() throws {
    let template = try RunnerTests.cases(1)[0]
    var rng = SplitMix64(seed: 23)
    var builder = CaseList.Builder()
    for _ in 0..<2_000 {
      builder.append(Self.random(&rng, template: template, plain: rng.next() % 2 == 0), compact: rng.next() % 4 != 0)
    }
    let packed = builder.take()
    let array = CaseList(Array(packed))
    #expect(packed.isPacked)
    #expect(!array.isPacked)
    for list in [packed, array] {
      let all = Array(list)
      #expect(list.indices.map(list.suite(at:)) == all.map(\.suite))
      #expect(list.indices.map(list.outcome(at:)) == all.map(\.outcome))
      // A case read as one of a sample (its reads counted as scattered) is the case.
      #expect(
        stride(from: 0, to: list.count, by: 7).map(list.sample(at:))
          == stride(from: 0, to: all.count, by: 7).map { all[$0] })
      for suite in ["s", "t", "ü", "none"] {
        #expect(Array(list.cases(ofSuite: suite)) == all.filter { $0.suite == suite })
        let prompts = Set(all.filter { $0.suite == suite }.map(\.prompt))
        #expect(list.hasManyPrompts(inSuite: suite) == (prompts.count > 1), "\(suite)")
      }
      // One prompt in a suite: not many.
      let one = CaseList(all.filter { $0.prompt == "p" })
      #expect(!one.hasManyPrompts(inSuite: "s") && !one.hasManyPrompts(inSuite: "none"))
      #expect(Array(list.failures) == all.filter { $0.outcome == .failed || $0.outcome == .errored })
      // Every case with an error or a skip reason is among those that may hold one.
      let flagged = Array(list.casesWithErrorsOrSkipReasons)
      let detailed = all.filter { c in c.skipReason != nil || c.attempts.contains { $0.error != nil } }
      #expect(detailed.allSatisfy(flagged.contains))
      #expect(flagged.count <= all.count)
    }
    #expect(try #require(packed.wholeCount) < packed.count)
  }

  @Test func rowsSortInReportOrder() throws {
    let template = try RunnerTests.cases(1)[0]
    var rng = SplitMix64(seed: 5)
    var builder = CaseList.Builder()
    var all: [CaseResult] = []
    for _ in 0..<3_000 {
      var c = Self.random(&rng, template: template)
      c.line = [nil, 1, 2, 3][Int(rng.next() % 4)]  // ties on suite and line, ordered by id
      builder.append(c, compact: true)
      all.append(c.outcome != .skipped ? c.compacted() : c)
    }
    let order = ["t": 0, "s": 1]  // "ü" is unknown: last
    builder.sortInReportOrder(suiteOrder: order)
    let sorted = Array(builder.take())
    all.sort {
      (order[$0.suite] ?? .max, $0.line ?? 0, $0.id.rawValue) < (order[$1.suite] ?? .max, $1.line ?? 0, $1.id.rawValue)
    }
    // Ids repeat only by chance among the short ones: compare the keys, and the cases where keys are unique.
    #expect(
      sorted.map { [$0.suite, "\($0.line ?? 0)", $0.id.rawValue] }
        == all.map { [$0.suite, "\($0.line ?? 0)", $0.id.rawValue] })
    #expect(Set(sorted.map(\.title)) == Set(all.map(\.title)))
  }

  @Test func changingAPackedListUnpacksItAndEncodesAsAnArray() throws {
    let cases = try RunnerTests.cases(3)
    var builder = CaseList.Builder()
    for c in cases {
      builder.append(
        CaseResult(case: c, attempts: [AttemptResult(index: 0, outcome: .passed, latencyMs: 2)]), compact: true)
    }
    var list = builder.take()
    let before = Array(list)
    #expect(list.isPacked)
    let data = try JSONEncoder().encode(list)
    #expect(try JSONDecoder().decode([CaseResult].self, from: data) == before)
    #expect(try JSONDecoder().decode(CaseList.self, from: data) == list)
    list[1].title = "renamed"
    #expect(!list.isPacked)
    #expect(list.map(\.title) == [before[0].title, "renamed", before[2].title])
    list.append(before[0])
    #expect(list.count == 4)
    #expect(builder.count == 0)
  }

  @Test func hexIDsRoundTripThroughTheirNumber() {
    for id in ["0000000000000000", "ffffffffffffffff", "0123456789abcdef"] {
      #expect(CaseID(rawValue: id).number.map { CaseID(number: $0).rawValue } == id)
    }
    #expect(CaseID(rawValue: "0123456789ABCDEF").number == nil)
    #expect(CaseID(rawValue: "0123456789abcde").number == nil)
    #expect(CaseID(rawValue: "0123456789abcdeg").number == nil)
    #expect(CaseID(content: "x").number.map(CaseID.init(number:)) == CaseID(content: "x"))
  }
}
