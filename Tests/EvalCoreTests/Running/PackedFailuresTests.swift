import Foundation
import Testing

@testable import EvalCore

/// A large run's failed and errored cases are packed like its passing ones (issue 17: a run against a down
/// endpoint kept each whole, about 1.3 KB a case): each reads back equal to the compacted case, with its
/// provider errors and named-metric scores, so the summary, the provider stats, the gate, the baseline records
/// and the derived metrics read what they read of the whole case.
struct PackedFailuresTests {
  /// `n` cases that did not pass, in turn: a down endpoint's connection error (retried) and then its circuit
  /// breaker's, a failed assertion beside a named metric, an HTTP 503 with the wait the server asked for, and a
  /// grader that could not check a real answer.
  static func failing(_ n: Int) throws -> [CaseResult] {
    let check = AssertionSpec(
      type: "contains", metric: "tone", location: EvalCore.SourceLocation(file: "s.yaml", line: 7))
    let plain = AssertionSpec(type: "equals", location: EvalCore.SourceLocation(file: "s.yaml", line: 8))
    return try RunnerTests.cases(n).enumerated().map { i, c in
      var attempts: [AttemptResult]
      switch i % 5 {
      case 0:
        attempts = [
          AttemptResult(
            index: 0, outcome: .errored, latencyMs: 1.25, retries: 2,
            error: ProviderError(.connection, "connection refused (127.0.0.1:1)"))
        ]
      case 1:
        attempts = [
          AttemptResult(
            index: 0, outcome: .errored, latencyMs: 0,
            error: ProviderError(.unreachable, "local-llm unreachable at http://127.0.0.1:1/v1 (5 failures in a row)"))
        ]
      case 2:
        let failed = AttemptResult(
          index: 0, outcome: .failed, output: "no \(i)", model: "m-1", latencyMs: 3,
          usage: Usage(promptTokens: 5, completionTokens: 2, totalTokens: 7), cost: 0.002, score: 0.5,
          assertions: [
            AssertionResult(spec: check, outcome: .init(pass: true, score: 1, reason: "has it"), children: []),
            AssertionResult(
              spec: plain, outcome: .init(pass: false, score: 0, reason: "expected 'yes \(i)'"), children: []),
          ])
        let passed = AttemptResult(
          index: 1, outcome: .passed, output: "yes", latencyMs: 2, score: 1,
          assertions: [AssertionResult(spec: check, outcome: .init(pass: true, score: 1, reason: "ok"), children: [])])
        attempts = [failed, passed]
      case 3:
        attempts = [
          AttemptResult(
            index: 0, outcome: .errored, latencyMs: 40, retries: 1,
            error: ProviderError(.http, "service unavailable (request \(i))", status: 503, retryAfterMs: 1500))
        ]
      default:
        var a = AttemptResult(
          index: 0, outcome: .errored, output: "an answer", latencyMs: 9, timeToFirstTokenMs: 4,
          usage: Usage(promptTokens: 3, completionTokens: 8), cached: false,
          error: ProviderError(.timeout, "judge timed out after 30000 ms"))
        a.gradingFailed = true
        attempts = [a]
      }
      var r = CaseResult(case: c, attempts: attempts)
      if i % 7 == 0 { r.tags = [CaseRecord.mustPassTag] }
      return r
    }
  }

  @Test func failedAndErroredCasesArePackedAndReadBackCompacted() throws {
    let all = try Self.failing(50)
    var builder = CaseList.Builder()
    for c in all { builder.append(c, compact: true) }
    let list = builder.take()
    #expect(list.isPacked)
    #expect(list.wholeCount == 0)
    for (i, c) in all.enumerated() where list[i] != c.compacted() {
      Issue.record("case \(i) read back as \(list[i]), not \(c.compacted())")
      break
    }
    // Provider errors and the grader flag stay whole; the outcome reads without unpacking.
    #expect(list.map { $0.attempts.map(\.error) } == all.map { $0.attempts.map(\.error) })
    #expect(list.map { $0.attempts.map(\.gradingFailed) } == all.map { $0.attempts.map(\.gradingFailed) })
    #expect(list.indices.map(list.outcome(at:)) == all.map(\.outcome))
    // Every case is among those that may hold an error: each errored or has a sample that did.
    #expect(list.casesWithErrorsOrSkipReasons.count == all.filter { $0.attempts.contains { $0.error != nil } }.count)
  }

  @Test func whatTheEndOfARunReadsIsTheSamePackedOrWhole() throws {
    let all = try Self.failing(50)
    var builder = CaseList.Builder()
    for c in all { builder.append(c, compact: true) }
    let packed = builder.take()
    let whole = CaseList(all)
    #expect(RunSummary(packed) == RunSummary(whole))
    #expect(RunSummary(packed).metrics == ["tone": 1])
    #expect(ProviderStats.collect(packed) == ProviderStats.collect(whole))
    #expect(packed.map(CaseRecord.init) == whole.map(CaseRecord.init))
    #expect(DerivedMetric.namedScores(packed) == DerivedMetric.namedScores(whole))
    for gate in [Gate(), Gate(minPassRate: 0)] {
      let summary = RunSummary(whole)
      let decided = RunReport.decide(gate, summary: summary, cases: packed.casesWithErrorsOrSkipReasons)
      #expect(decided == RunReport.decide(gate, summary: summary, cases: whole))
    }
    // A run where every case errored: the open circuit breaker is the reason, else the first error.
    func reason(_ cases: [CaseResult]) -> String {
      var builder = CaseList.Builder()
      for c in cases { builder.append(c, compact: true) }
      let report = RunReport(
        tool: .init(name: "evalgate", version: "test"), startedAt: Date(timeIntervalSince1970: 0),
        finishedAt: Date(timeIntervalSince1970: 1), interrupted: false,
        settings: .init(concurrency: 1, timeoutMs: 1), suites: [], cases: builder.take(), gate: Gate())
      return report.gate.reason
    }
    let errored = all.filter { $0.outcome == .errored }
    #expect(
      reason(errored) == "could not evaluate: local-llm unreachable at http://127.0.0.1:1/v1 (5 failures in a row)")
    #expect(
      reason(errored.filter { $0.attempts[0].error?.kind == .http })
        == "could not evaluate: all 10 cases errored (the first: http_503: service unavailable (request 3))")
  }

  @Test func failuresAreReadWholeThroughTheReader() throws {
    let all = try Self.failing(20) + [CaseResult(case: try RunnerTests.cases(21)[20], attempts: [])]
    var builder = CaseList.Builder()
    for c in all { builder.append(c, compact: true) }
    var list = builder.take()
    let failing = all.filter { $0.outcome == .failed || $0.outcome == .errored }
    // Without a reader a failure reads compacted (no assertion reasons, no output).
    #expect(Array(list.failures) == failing.map { $0.compacted() })
    let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
    list.wholeReader = { byID[$0.id] ?? $0 }
    #expect(Array(list.failures) == failing)
    #expect(list.failures.count == failing.count)
    // The skipped case keeps its reason (packed too).
    #expect(list.last?.skipReason == "not run")
    #expect(list.wholeCount == 0)
  }

  /// `n` cases a run skipped, in turn: the rest of an interrupted run (vars, a test id, tags and messages the
  /// compacted case leaves out), the rest of a run whose budget ran out (must-pass), a call an interrupt
  /// cancelled (its sample's error and time kept), and a case of three repeats none of which ran; every
  /// `distinct`-th case has a reason of its own.
  static func skipped(_ n: Int, distinct: Int = .max) throws -> [CaseResult] {
    try RunnerTests.cases(n, repeats: 1).enumerated().map { i, c in
      var c = c
      c.vars = ["n": .number(Double(i))]
      c.testID = "t\(i)"
      c.tags = i % 2 == 0 ? [CaseRecord.mustPassTag, "slow"] : ["slow"]
      var attempts = [AttemptResult(index: 0, outcome: .skipped, latencyMs: 0)]
      var reason: String? = "run interrupted before this case ran"
      switch i % 4 {
      case 1:
        reason = "budget reached: 16 tokens ≥ --max-tokens 16"
      case 2:
        attempts = [
          AttemptResult(
            index: 0, outcome: .skipped, latencyMs: 812.5, retries: 1, error: ProviderError(.cancelled, "cancelled"))
        ]
        reason = nil
      case 3:
        c.repeatCount = 3
        attempts = (0..<3).map { AttemptResult(index: $0, outcome: .skipped, latencyMs: 0) }
      default:
        break
      }
      if i % distinct == distinct - 1 { reason = "stopped at case \(i)" }
      return CaseResult(case: c, attempts: attempts, skipReason: reason)
    }
  }

  @Test func skippedCasesArePackedWithTheirReasonsKeptOnce() throws {
    let failing = try Self.failing(10).enumerated().map { i, c in
      var c = c
      c.id = CaseID(rawValue: String(format: "%016x", 0x1000 + i))
      return c
    }
    let all = try Self.skipped(40) + failing
    var builder = CaseList.Builder()
    for c in all { builder.append(c, compact: true) }
    builder.sortInReportOrder(suiteOrder: ["s": 0])
    let list = builder.take()
    #expect(list.isPacked)
    #expect(list.wholeCount == 0)
    let expected = all.sorted { ($0.line ?? 0, $0.id.rawValue) < ($1.line ?? 0, $1.id.rawValue) }.map {
      $0.compacted()
    }
    for (i, c) in expected.enumerated() where list[i] != c {
      Issue.record("case \(i) read back as \(list[i]), not \(c)")
      break
    }
    #expect(list.map(\.skipReason) == expected.map(\.skipReason))
    #expect(list.filter { $0.skipReason == "not run" }.count == 10)
    #expect(list.indices.map(list.outcome(at:)) == expected.map(\.outcome))
    // Every skipped case may hold a reason; the failing ones, an error if a sample errored.
    #expect(
      list.casesWithErrorsOrSkipReasons.count
        == all.filter { $0.outcome == .skipped || $0.attempts.contains { $0.error != nil } }.count)
  }

  @Test func whatTheEndOfAnInterruptedRunReadsIsTheSamePackedOrWhole() throws {
    let all = try Self.skipped(60) + Self.failing(20)
    var builder = CaseList.Builder()
    for c in all { builder.append(c, compact: true) }
    let packed = builder.take()
    let whole = CaseList(all)
    #expect(packed.wholeCount == 0)
    #expect(RunSummary(packed) == RunSummary(whole))
    #expect(RunSummary(packed).skipped == 60)
    #expect(ProviderStats.collect(packed) == ProviderStats.collect(whole))
    #expect(packed.map(CaseRecord.init) == whole.map(CaseRecord.init))
    for gate in [Gate(), Gate(minPassRate: 0)] {
      let summary = RunSummary(whole)
      let decided = RunReport.decide(gate, summary: summary, cases: packed.casesWithErrorsOrSkipReasons)
      #expect(decided == RunReport.decide(gate, summary: summary, cases: whole))
    }
    // A spent budget is the gate's reason, read from a packed case's skip reason.
    let skipped = try Self.skipped(8)
    var only = CaseList.Builder()
    for c in skipped { only.append(c, compact: true) }
    let spent = RunReport.decide(
      Gate(), summary: RunSummary(skipped), cases: only.take().casesWithErrorsOrSkipReasons)
    #expect(spent.reason.contains("budget reached: 16 tokens ≥ --max-tokens 16"), "\(spent.reason)")
  }

  @Test func manyDistinctReasonsAreEachReadBack() throws {
    // Past the 4,096 reasons looked up, a new reason is kept each time it comes, and still read back.
    let all = try Self.skipped(10_000, distinct: 2)
    var builder = CaseList.Builder()
    for c in all { builder.append(c, compact: true) }
    let list = builder.take()
    #expect(list.wholeCount == 0)
    #expect(Set(list.compactMap(\.skipReason)).count == 5_000 + 2)
    #expect(list.map(\.skipReason) == all.map(\.skipReason))
  }

  @Test func aDownEndpointsRepeatedErrorReadsBackForEveryCase() throws {
    var builder = CaseList.Builder()
    let cases = try RunnerTests.cases(5_000)
    let error = ProviderError(.connection, "connection refused (127.0.0.1:1)")
    for c in cases {
      builder.append(
        CaseResult(case: c, attempts: [AttemptResult(index: 0, outcome: .errored, latencyMs: 1, error: error)]),
        compact: true)
    }
    builder.sortInReportOrder(suiteOrder: ["s": 0])
    let list = builder.take()
    #expect(list.wholeCount == 0)
    #expect(list.allSatisfy { $0.attempts.map(\.error) == [error] && $0.outcome == .errored })
    #expect(list.map(\.id) == cases.map(\.id))
  }
}
