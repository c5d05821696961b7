import EvalCore
import Foundation
import Synchronization
import Testing

/// The survey that `list` prints from: one pass over the cases makes each case once and shows it to the caller,
/// the same cases, in the same order, as a later pass over the plan yields.
struct CasePlanSurveyTests {
  /// Streamed rows that count how often they are walked and how many rows are read.
  final class CountingRows: TestRows {
    let facts: TestRowFacts
    let walks = Mutex(0)
    let rowsRead = Mutex(0)

    init(count: Int) { facts = TestRowFacts(count: count, varNames: ["topic"]) }

    func makeRowIterator() -> AnyIterator<Result<TestSpec, Diagnostic>> {
      walks.withLock { $0 += 1 }
      var i = 0
      return AnyIterator { [self] in
        guard i < facts.count else { return nil }
        i += 1
        rowsRead.withLock { $0 += 1 }
        // Rows 3 and 4 are the same test: their cases get `-2` ids.
        let topic = i == 4 ? "t3" : "t\(i)"
        return .success(
          TestSpec(vars: ["topic": .string(topic)], location: SourceLocation(file: "rows.csv", line: i + 1)))
      }
    }
  }

  static func suite(_ rows: CountingRows) -> Suite {
    let location = SourceLocation(file: "s.yaml", line: 1)
    return Suite(
      id: "s", file: "s.yaml",
      prompts: [PromptTemplate(label: "p", body: .text("about {{ topic }}"), location: location)],
      providers: [ProviderSpec(id: "echo", location: location), ProviderSpec(id: "openai:chat:m", location: location)],
      tests: TestList(rows: rows))
  }

  @Test func aSurveyThatVisitsMakesEachCaseOnce() throws {
    let rows = CountingRows(count: 50)
    let suites = [try SuiteCases(Self.suite(rows), expansion: Expansion(renderer: TemplateRenderer()))]
    var visited: [EvalCase] = []
    let survey = CasePlan.survey(suites, keep: { _ in true }, visit: { visited.append($0) })
    // One walk of the rows per prompt and provider, each row read once in it.
    #expect(rows.walks.withLock { $0 } == 2)
    #expect(rows.rowsRead.withLock { $0 } == 100)
    #expect(survey.cases == 100 && visited.count == 100 && survey.problems.isEmpty)
    // A pass over the plan (what `list` did after the survey) walks the rows again and yields the same cases.
    let listed = Array(CasePlan(suites))
    #expect(rows.walks.withLock { $0 } == 4)
    #expect(visited.map(\.id) == listed.map(\.id))
    #expect(visited.map(\.title) == listed.map(\.title))
    #expect(visited.map(\.location) == listed.map(\.location))
    #expect(visited.map(\.providerLabel) == listed.map(\.providerLabel))
    #expect(visited.contains { $0.id.rawValue.hasSuffix("-2") })
  }

  @Test func onlyKeptCasesAreVisitedAndCounted() throws {
    let rows = CountingRows(count: 20)
    let suites = [try SuiteCases(Self.suite(rows), expansion: Expansion(renderer: TemplateRenderer()))]
    let keep: @Sendable (EvalCase) -> Bool = { $0.providerLabel == "echo" }
    var visited: [CaseID] = []
    let survey = CasePlan.survey(suites, keep: keep, visit: { visited.append($0.id) })
    #expect(survey.cases == 20 && visited.count == 20)
    #expect(visited == CasePlan(suites, keep: keep).map(\.id))
  }

  @Test func aSurveyOfEveryCaseWithoutIdsFindsWhatTheFullOneFinds() throws {
    let location = SourceLocation(file: "s.yaml", line: 1)
    // Numbers among the topics: `upper` cannot take them, so those cases fail to render, in the prompt and in
    // the assertion's value; one test repeats, one runs its cases twice.
    let topics: [JSONValue] = [.string("a"), .number(5), .string("b"), .number(7), .string("c")]
    let regex = AssertionSpec(type: "regex", value: .string("{{ other | upper }}"), location: location)
    var repeated = TestSpec(vars: ["topic": .array(topics), "other": .string("x")], location: location)
    repeated.repeatCount = 2
    let tests: TestList = [
      repeated,
      TestSpec(vars: ["topic": .string("d"), "other": .array(topics)], assertions: [regex], location: location),
      TestSpec(vars: ["topic": .string("d"), "other": .string("y")], location: location),
      TestSpec(vars: ["topic": .string("d"), "other": .string("y")], location: location),
    ]
    let suite = Suite(
      id: "s", file: "s.yaml",
      prompts: [PromptTemplate(label: "p", body: .text("about {{ topic | upper }} {{ other }}"), location: location)],
      providers: [ProviderSpec(id: "echo", location: location), ProviderSpec(id: "openai:chat:m", location: location)],
      tests: tests)
    let suites = [try SuiteCases(suite, expansion: Expansion(renderer: TemplateRenderer()))]
    let full = CasePlan.survey(suites, keep: { _ in true })
    let light = CasePlan.surveyAll(suites)
    #expect(full.cases == 2 * (3 + 3 + 2) && full.samples == 2 * (2 * 3 + 3 + 2))
    #expect(!full.problems.isEmpty && light.problems == full.problems)
    #expect(light.cases == full.cases && light.samples == full.samples && light.suiteIDs == full.suiteIDs)
    #expect(light.hasDeferred == full.hasDeferred && light.code.uses == full.code.uses)
    // Its cases are the full ones but for what identifies them.
    var fullCases = suites[0].makeIterator()
    var lightCases = suites[0].makeSurveyIterator()
    while let a = fullCases.next() {
      let next = lightCases.next()
      let b = try #require(next)
      switch (a, b) {
      case (.success(let a), .success(let b)):
        #expect(b.id.rawValue.isEmpty && b.title.isEmpty && !a.id.rawValue.isEmpty)
        #expect(a.messages == b.messages && a.repeatCount == b.repeatCount && a.location == b.location)
      case (.failure(let a), .failure(let b)): #expect(a == b)
      default: Issue.record("the two iterators disagree: \(a) and \(b)")
      }
    }
    let rest = lightCases.next()
    #expect(rest == nil)
  }
}
