import EvalCore
import Synchronization
import Testing

@testable import EvalRun

/// The first case's provider starts opening its connections ahead, as many as the run has in flight.
struct WarmUpTests {
  /// A provider whose warm-up records what it was asked.
  final class Opener: Provider {
    let label = "echo"
    let asked = Mutex<[Int]>([])

    func complete(_ request: CompletionRequest) async throws -> Completion { Completion(text: "") }

    func warmUp(connections: Int) { asked.withLock { $0.append(connections) } }
  }

  @Test func theFirstCasesProviderOpensAsManyAsAsked() {
    let (first, other) = (Opener(), Opener())
    let cases = CasePlan(list: [CaseFilterTests.evalCase("a"), CaseFilterTests.evalCase("b")])
    GatedRun.warmUp(["echo": first, "other": other], for: cases, connections: 7)
    #expect(first.asked.withLock { $0 } == [7] && other.asked.withLock { $0 }.isEmpty)
    // Nothing to call, nothing opened.
    GatedRun.warmUp(["echo": first], for: CasePlan(list: []), connections: 7)
    GatedRun.warmUp(["echo": first], for: cases, connections: 0)
    #expect(first.asked.withLock { $0 } == [7])
  }
}
