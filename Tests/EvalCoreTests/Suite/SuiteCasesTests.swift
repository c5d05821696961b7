import EvalCore
import Foundation
import Testing

/// Lazy expansion: ``SuiteCases`` yields what ``Expansion/cases(for:)`` lists, one case at a time.
struct SuiteCasesTests {
  static func suite(vars: [String: JSONValue], tests: Int = 1) -> Suite {
    let location = EvalCore.SourceLocation(file: "s.yaml", line: 1)
    return Suite(
      id: "s", file: "s.yaml",
      prompts: [
        PromptTemplate(label: "p1", body: .text("q {{a}} {{b}}"), location: location),
        PromptTemplate(label: "p2", body: .text("r {{a}}"), location: location),
      ],
      providers: [ProviderSpec(id: "echo", location: location), ProviderSpec(id: "openai:chat:m", location: location)],
      tests: (0..<tests).map { _ in TestSpec(vars: vars, location: location) })
  }

  /// The combinations as they were built before: each sorted key multiplies the list, the last fastest.
  static func reference(_ vars: [String: JSONValue]) -> [[String: JSONValue]] {
    var result: [[String: JSONValue]] = [vars]
    for key in vars.keys.sorted() {
      guard let value = vars[key], Expansion.expands(value), case .array(let options) = value else { continue }
      result = result.flatMap { partial in
        options.map { option in
          var next = partial
          next[key] = option
          return next
        }
      }
    }
    return result
  }

  @Test func combinationsComeInTheOrderTheyAlwaysHad() {
    let vars: [String: JSONValue] = [
      "b": .array([.number(1), .number(2), .number(3)]), "a": .array([.string("x"), .string("y")]),
      "c": .string("fixed"), "d": .array([.array([.number(1)]), .array([.number(2)])]),
    ]
    let lazy = VarCombinations(vars)
    #expect(lazy.count == 12)
    #expect(Array(lazy) == Self.reference(vars))
    #expect(Array(VarCombinations(["k": .string("v")])) == [["k": .string("v")]])
  }

  @Test func aMillionByAMillionMatrixYieldsItsFirstCasesAtOnce() throws {
    let big = JSONValue.array((0..<1_000_000).map { .number(Double($0)) })
    let cases = try SuiteCases(
      Self.suite(vars: ["a": big, "b": big]), expansion: Expansion(renderer: TemplateRenderer()))
    let first = cases.prefix(3).compactMap { try? $0.get() }
    #expect(first.map { $0.messages.last?.content } == ["q 0 0", "q 0 1", "q 0 2"])
    #expect(VarCombinations(["a": big, "b": big]).count == 1_000_000_000_000)
    #expect(VarCombinations(["a": big, "b": big])[999_999_999_999] == ["a": .number(999_999), "b": .number(999_999)])
  }

  @Test func yieldsWhatTheListHasWithDuplicateIdsSuffixed() throws {
    let vars: [String: JSONValue] = [
      "a": .array([.number(1), .number(2)]), "b": .array([.string("u"), .string("v")]),
    ]
    // Two identical tests: the second's cases get `-2` ids.
    let suite = Self.suite(vars: vars, tests: 2)
    let expansion = Expansion(renderer: TemplateRenderer())
    let listed = try expansion.cases(for: suite)
    let streamed = try SuiteCases(suite, expansion: expansion).map { try $0.get() }
    #expect(listed.count == 2 * 2 * 2 * 4)
    #expect(streamed.map(\.id) == listed.map(\.id))
    #expect(streamed.map { $0.messages.map(\.content) } == listed.map { $0.messages.map(\.content) })
    #expect(Set(listed.map(\.id)).count == listed.count)
    #expect(listed.filter { $0.id.rawValue.hasSuffix("-2") }.count == listed.count / 2)
  }
}
