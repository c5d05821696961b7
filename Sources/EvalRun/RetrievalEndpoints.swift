import EvalCore
import EvalLoading
import EvalProviders

/// Retrieval fixtures with an endpoint (`provider:`): their queries go to it through the run's runner (its
/// pacing, timeout and retries), and its rankings are scored like a fixture's own.
public enum RetrievalEndpoints {
  /// `fixtures` with the rankings their endpoints gave (a fixture without one, or every fixture when
  /// `interrupted`, as it was), and per fixture the queries the endpoint gave no ranking for.
  public static func rank(
    _ fixtures: [RetrievalFixtureLoader.Loaded], runner: Runner, providers: [String: any Provider],
    interrupted: Bool
  ) async -> (fixtures: [RetrievalFixtureLoader.Loaded], failures: [String: [String]]) {
    var ranked: [RetrievalFixtureLoader.Loaded] = []
    var failures: [String: [String]] = [:]
    for loaded in fixtures {
      guard loaded.provider != nil, !interrupted, let calls = try? RetrievalFixtureLoader.calls(loaded) else {
        ranked.append(loaded)
        continue
      }
      let answers = await runner.run(calls, providers: providers)
      let (withRankings, failed) = RetrievalFixtureLoader.withRankings(loaded, from: answers)
      ranked.append(withRankings)
      failures[loaded.fixture.id] = failed
    }
    return (ranked, failures)
  }
}
