import EvalCore
import EvalTestSupport
import Foundation
import Synchronization
import Testing

/// `Runner.stream`: cases are taken from a sequence as room frees, so only the cases under way are held.
@Suite(.offThePool) struct RunnerStreamTests {
  /// A sequence of cases that counts how many were taken.
  final class Counter {
    var n = 0
  }

  struct CountedCases: Sequence {
    let cases: [EvalCase]
    let taken: Counter

    func makeIterator() -> AnyIterator<EvalCase> {
      var inner = cases.makeIterator()
      return AnyIterator {
        guard let next = inner.next() else { return nil }
        taken.n += 1
        return next
      }
    }
  }

  @Test func takesCasesOnlyAsRoomFrees() async throws {
    let cases = try RunnerTests.cases(400)
    let taken = Counter()
    let provider = CountingProvider(delay: .milliseconds(2))
    let runner = Runner(concurrency: 4, timeout: .seconds(10))
    var finished = 0
    var mostAhead = 0
    var seen = Set<Int>()
    await runner.stream(CountedCases(cases: cases, taken: taken), providers: ["k": provider]) { slot, result in
      finished += 1
      seen.insert(slot)
      #expect(result.id == cases[slot].id)
      mostAhead = max(mostAhead, taken.n - finished)
    }
    #expect(finished == 400)
    #expect(seen == Set(0..<400))
    // Twice the concurrency under way, one more queued: never the whole list.
    #expect(mostAhead <= 2 * 4 + 1, "taken ahead of finished: \(mostAhead)")
  }

  @Test func saysOnceWhenTheFirstCasesAreUnderWayBeforeAnyFinishes() async throws {
    let cases = try RunnerTests.cases(40)
    let taken = Counter()
    let runner = Runner(concurrency: 4, timeout: .seconds(10))
    var finished = 0
    // When it was said: how many cases were taken and how many had finished.
    var said: [(taken: Int, finished: Int)] = []
    await runner.stream(
      CountedCases(cases: cases, taken: taken), providers: ["k": CountingProvider(delay: .milliseconds(1))],
      dispatched: { said.append((taken.n, finished)) }
    ) { _, _ in finished += 1 }
    #expect(finished == 40)
    #expect(said.count == 1)
    // Twice the concurrency handed to their tasks, none of them back yet.
    #expect(said.first?.taken == 8)
    #expect(said.first?.finished == 0)
  }

  @Test func everyCaseGetsAResultWhenTheRunStops() async throws {
    let cases = try RunnerTests.cases(100, repeats: 2)
    let provider = CountingProvider(delay: .milliseconds(1))
    let runner = Runner(concurrency: 2, timeout: .seconds(10))
    let calls = Atomic<Int>(0)
    var results: [Int: CaseResult] = [:]
    await runner.stream(
      cases, providers: ["k": provider],
      shouldContinue: { calls.add(1, ordering: .relaxed).newValue <= 10 }
    ) { slot, result in
      #expect(results[slot] == nil, "case \(slot) finished twice")
      results[slot] = result
    }
    #expect(results.count == 100)
    let skipped = results.values.filter { $0.outcome == .skipped }
    #expect(skipped.count >= 90)
    #expect(skipped.allSatisfy { $0.skipReason == "run interrupted before this case ran" })
    #expect(results.values.allSatisfy { $0.attempts.count == 2 })
  }

  @Test func theEagerRunKeepsInputOrderAndGroupsOrderedCases() async throws {
    var cases = try RunnerTests.cases(6)
    let group = SequenceGroup()
    for i in [1, 4] {
      cases[i].sequence = CaseSequence(group: group, storeOutputAs: "x", conversation: nil) { _ in
        [ChatMessage(role: "user", content: "ordered")]
      }
    }
    let results = await Runner(concurrency: 3, timeout: .seconds(10)).run(
      cases, providers: ["k": CountingProvider(delay: .milliseconds(1))])
    #expect(results.map(\.id) == cases.map(\.id))
    #expect(results.allSatisfy { $0.outcome == .passed })
  }
}
