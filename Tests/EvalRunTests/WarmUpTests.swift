import EvalCore
import Synchronization
import Testing

@testable import EvalRun

/// The first case's provider opens its connections ahead, and the run waits for them only so long.
struct WarmUpTests {
  /// A provider whose warm-up records what it was asked and, when `hangs`, never ends until cancelled.
  final class Opener: Provider {
    let label = "echo"
    let hangs: Bool
    let asked = Mutex<[Int]>([])
    let cancelled = Mutex(false)

    init(hangs: Bool = false) { self.hangs = hangs }

    func complete(_ request: CompletionRequest) async throws -> Completion { Completion(text: "") }

    func warmUp(connections: Int) async {
      asked.withLock { $0.append(connections) }
      guard hangs else { return }
      while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
      cancelled.withLock { $0 = true }
    }
  }

  @Test func theFirstCasesProviderOpensAsManyAsAsked() async {
    let (first, other) = (Opener(), Opener())
    let cases = CasePlan(list: [CaseFilterTests.evalCase("a"), CaseFilterTests.evalCase("b")])
    await GatedRun.warmUp(["echo": first, "other": other], for: cases, connections: 7)
    #expect(first.asked.withLock { $0 } == [7] && other.asked.withLock { $0 }.isEmpty)
    // Nothing to call, nothing opened.
    await GatedRun.warmUp(["echo": first], for: CasePlan(list: []), connections: 7)
    await GatedRun.warmUp(["echo": first], for: cases, connections: 0)
    #expect(first.asked.withLock { $0 } == [7])
  }

  @Test func aWarmUpThatDoesNotEndIsLeftAfterItsLimit() async {
    let opener = Opener(hangs: true)
    let clock = ContinuousClock()
    let started = clock.now
    await GatedRun.warmUp(["echo": opener], for: CasePlan(list: [CaseFilterTests.evalCase("a")]), connections: 3)
    #expect(clock.now - started >= GatedRun.warmUpLimit)
    #expect(opener.cancelled.withLock { $0 })
  }
}
