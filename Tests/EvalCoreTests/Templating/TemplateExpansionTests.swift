import Testing

@testable import EvalCore

/// Templates at load time: syntax errors and variables no test defines stop the suite with located errors;
/// a variable only some tests define renders empty in the others.
struct TemplateExpansionTests {
  static let yaml = EvalCore.SourceLocation(file: "suite.yaml", line: 3, column: 5)
  static let textFile = EvalCore.SourceLocation(file: "prompts/q.txt", line: 1)

  static func suite(_ prompt: String, at location: EvalCore.SourceLocation = yaml, tests: [[String: JSONValue]])
    -> Suite
  {
    Suite(
      id: "s", file: "suite.yaml", prompts: [PromptTemplate(body: .text(prompt), location: location)],
      providers: [ProviderSpec(id: "echo", location: yaml)],
      tests: tests.enumerated().map {
        TestSpec(vars: $0.element, location: EvalCore.SourceLocation(file: "suite.yaml", line: 10 + $0.offset))
      })
  }

  static func diagnostics(_ suite: Suite) -> [String] {
    do {
      _ = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
      return []
    } catch let list as DiagnosticList {
      return list.diagnostics.map(\.description)
    } catch {
      return ["\(error)"]
    }
  }

  @Test func aVariableNoTestDefinesIsAnError() {
    let problems = Self.diagnostics(Self.suite("Q: {{ question }} {{ nope }}", tests: [["question": "a"]]))
    #expect(problems.count == 1)
    #expect(
      problems.first?.hasPrefix(
        "suite.yaml:3:5: error: the prompt uses 'nope' (template line 1, column 22), which no test defines") == true)
    #expect(problems.first?.contains("note: define 'nope' in a test's 'vars'") == true)
  }

  @Test func inATextFilePromptTheErrorPointsAtTheUse() {
    let problems = Self.diagnostics(Self.suite("line\n  {{ nope }}", at: Self.textFile, tests: [[:]]))
    #expect(
      problems.first?.hasPrefix("prompts/q.txt:2:6: error: the prompt uses 'nope', which no test defines") == true)
  }

  @Test func defaultTestVarsDefineVariables() throws {
    var suite = Self.suite("{{ region }} {{ q }}", tests: [["q": "x"]])
    suite.defaultTest = TestSpec(vars: ["region": "eu"], location: Self.yaml)
    let cases = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    #expect(cases.map { $0.messages.last?.content } == ["eu x"])
  }

  @Test(arguments: [
    "{{ nope | default('none') }}", "{% if nope %}{{ nope }}{% endif %}", "{{ nope is defined }}",
    "{{ env.HOME }}{% set nope = 1 %}{{ nope }}", "{% for nope in [1] %}{{ nope }}{% endfor %}",
  ])
  func guardedOrLocalVariablesAreFine(_ prompt: String) {
    #expect(Self.diagnostics(Self.suite(prompt, tests: [["q": "x"]])).isEmpty)
  }

  @Test func aVariableSomeTestsDefineRendersEmptyInTheOthers() throws {
    let suite = Self.suite("[{{ extra }}]", tests: [["extra": "yes"], ["other": "1"]])
    let cases = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    #expect(Set(cases.compactMap { $0.messages.last?.content }) == ["[yes]", "[]"])
  }

  @Test func anUnclosedTagIsALocatedError() {
    #expect(
      Self.diagnostics(Self.suite("Hello {{ name", tests: [["name": "x"]]))
        == ["suite.yaml:3:5: error: unclosed '{{': no '}}' before the end of the template (template line 1, column 7)"])
    #expect(
      Self.diagnostics(Self.suite("a\n{% if x %}b", at: Self.textFile, tests: [["x": 1]]))
        == ["prompts/q.txt:2:4: error: unclosed '{% if %}': no '{% endif %}' before the end of the template"])
  }

  @Test func everyBadPromptIsReportedAtOnce() {
    let suite = Suite(
      id: "s", file: "suite.yaml",
      prompts: [
        PromptTemplate(
          body: .text("{{ a | nope }}"), location: EvalCore.SourceLocation(file: "suite.yaml", line: 2, column: 5)),
        PromptTemplate(
          body: .messages([MessageTemplate(role: "user", content: "{{ b }}")]),
          location: EvalCore.SourceLocation(file: "suite.yaml", line: 3, column: 5)),
      ],
      providers: [ProviderSpec(id: "echo", location: Self.yaml)],
      tests: [TestSpec(vars: ["a": "1"], location: Self.yaml)])
    let problems = Self.diagnostics(suite)
    #expect(problems.count == 2)
    #expect(problems.first?.hasPrefix("suite.yaml:2:5: error: unknown filter 'nope'") == true)
    #expect(problems.last?.hasPrefix("suite.yaml:3:5: error: the prompt uses 'b'") == true)
  }

  @Test func aRenderFailureIsLocatedAtThePrompt() {
    let problems = Self.diagnostics(Self.suite("{{ n | upper }}", tests: [["n": 5]]))
    #expect(
      problems == ["suite.yaml:3:5: error: filter 'upper' expects a string, got number (template line 1, column 8)"])
  }

  @Test func templatesInPromptsRenderWithNunjucksSemantics() throws {
    let prompt = "{% for d in docs %}{{ loop.index }}. {{ d.text | upper }}\n{% endfor %}n={{ docs | length + 1 }}"
    let suite = Self.suite(prompt, tests: [["docs": [[["text": "a"], ["text": "b"]]]]])
    let cases = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    #expect(cases.first?.messages.last?.content == "1. A\n2. B\nn=3")
  }
}
