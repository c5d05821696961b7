import EvalCore

/// What a run's totals count, said the same way in every report: a run of 21 prompt cases and one
/// retrieval fixture of 5 measures over 8 queries is 21 cases on the console, 26 tests in junit.xml (one per
/// case and one per measure) and 29 pairs in the verdict (one per case and one per query).
public struct RunUnits: Sendable, Hashable {
  /// Prompt cases (a case is one test × prompt × provider; repeats are its samples).
  public var promptCases: Int
  /// Retrieval fixtures.
  public var fixtures: Int
  /// Measures over every fixture (one JUnit test each).
  public var measures: Int
  /// Queries over every fixture (one verdict pair each).
  public var queries: Int

  /// The units of `report`.
  public init(_ report: RunReport) {
    promptCases = report.summary.total
    let retrieval = report.retrieval ?? []
    fixtures = retrieval.count
    measures = retrieval.reduce(0) { $0 + $1.measures.count }
    queries = retrieval.reduce(0) { $0 + $1.counts.queries }
  }

  /// `21 prompt cases`.
  public var casesText: String { RunUnits.count(promptCases, "prompt case") }

  /// `1 retrieval fixture: 5 measures over 8 queries`, when there are fixtures.
  public var retrievalText: String? {
    guard fixtures > 0 else { return nil }
    return RunUnits.count(fixtures, "retrieval fixture") + ": " + RunUnits.count(measures, "measure") + " over "
      + RunUnits.count(queries, "query", plural: "queries")
  }

  /// `21 prompt cases + 1 retrieval fixture: 5 measures over 8 queries`.
  public var text: String { casesText + (retrievalText.map { " + " + $0 } ?? "") }

  /// JUnit's count: one test per prompt case and per retrieval measure.
  public var junitTests: Int { promptCases + measures }

  /// `26 tests: 21 prompt cases + 5 retrieval measures (1 fixture, 8 queries)`.
  public var junitText: String {
    var text = RunUnits.count(junitTests, "test") + ": " + casesText
    if fixtures > 0 {
      text +=
        " + " + RunUnits.count(measures, "retrieval measure") + " (" + RunUnits.count(fixtures, "fixture")
        + ", " + RunUnits.count(queries, "query", plural: "queries") + ")"
    }
    return text
  }

  /// ` (21 prompt cases + 8 retrieval queries)` after a count of verdict pairs, when some are queries.
  public static func pairsText(_ c: Comparison) -> String {
    guard let queries = c.pairedQueries, queries > 0 else { return "" }
    return " (" + count(c.paired - queries, "prompt case") + " + "
      + count(queries, "retrieval query", plural: "retrieval queries") + ")"
  }

  /// `1 query`, `8 queries`.
  public static func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
    "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
  }
}
