import EvalCore
import Testing

struct ExpansionTests {
  static func loc(_ line: Int) -> EvalCore.SourceLocation {
    EvalCore.SourceLocation(file: "s.yaml", line: line, column: 3)
  }

  static func suite(tests: [TestSpec], prompts: [PromptTemplate]? = nil, providers: [String] = ["echo"]) -> Suite {
    Suite(
      id: "demo", file: "s.yaml",
      prompts: prompts ?? [PromptTemplate(body: .text("Q: {{ question }}"), location: loc(2))],
      providers: providers.map { ProviderSpec(id: $0, location: loc(3)) }, tests: tests)
  }

  static func test(_ question: String, line: Int, id: String? = nil, asserts: [AssertionSpec] = []) -> TestSpec {
    TestSpec(id: id, vars: ["question": .string(question)], assertions: asserts, location: loc(line))
  }

  let expansion = Expansion(renderer: TemplateRenderer(environment: ["REGION": "eu"]))

  @Test func matrixIsPromptsTimesProvidersTimesTests() throws {
    let prompts = [
      PromptTemplate(body: .text("A {{ question }}"), location: Self.loc(1)),
      PromptTemplate(body: .text("B {{ question }}"), location: Self.loc(2)),
    ]
    let s = Self.suite(
      tests: [Self.test("x", line: 5), Self.test("y", line: 6), Self.test("z", line: 7)], prompts: prompts,
      providers: ["echo", "scripted"])
    let cases = try expansion.cases(for: s)
    #expect(cases.count == 2 * 2 * 3)
    #expect(Set(cases.map(\.id)).count == 12)
  }

  @Test func arrayVarsExpandToTheCartesianProduct() throws {
    let t = TestSpec(
      vars: ["a": ["1", "2"], "b": ["x", "y", "z"], "c": "fixed", "question": "q"], location: Self.loc(4))
    let cases = try expansion.cases(for: Self.suite(tests: [t]))
    #expect(cases.count == 6)
    #expect(Set(cases.map { "\($0.vars["a"]?.plainText ?? "")\($0.vars["b"]?.plainText ?? "")" }).count == 6)
    #expect(cases.allSatisfy { $0.vars["c"] == "fixed" })
  }

  @Test func idsSurviveAddingAndReorderingTests() throws {
    let a = Self.test("alpha", line: 5)
    let b = Self.test("beta", line: 6)
    let before = try expansion.cases(for: Self.suite(tests: [a, b]))
    let c = Self.test("gamma", line: 5)
    var movedB = b
    movedB.location = Self.loc(40)
    let after = try expansion.cases(for: Self.suite(tests: [c, movedB, a]))
    let idOf = { (cases: [EvalCase], q: String) in cases.first { $0.vars["question"] == .string(q) }?.id }
    #expect(idOf(before, "alpha") == idOf(after, "alpha"))
    #expect(idOf(before, "beta") == idOf(after, "beta"))
    #expect(idOf(after, "gamma") != idOf(after, "alpha"))
  }

  /// Ids are the canonical JSON of `{suite, test: {description, vars, assert} or {id, varied vars}, prompt,
  /// provider}`: baselines in users' repositories name cases by them, so the formula must never drift.
  @Test func idsAreTheHashOfTheDocumentedIdentity() throws {
    var described = Self.test("quote \" and ünï", line: 5, asserts: [Harness.spec("contains", "x")])
    described.description = "with a description"
    described.vars["n"] = [1, 2.5, "three"]
    var named = Self.test("named", line: 9, id: "refund")
    named.vars["lang"] = ["en", "fr"]
    let suite = Self.suite(tests: [described, named, Self.test("plain", line: 12)])
    for c in try expansion.cases(for: suite) {
      let test = Array(suite.tests).first { $0.location.line == c.location.line }!
      let varied = Set(test.vars.filter { $0.value.arrayValue != nil }.keys)
      let identity: JSONValue =
        test.id.map { .object(["id": .string($0), "vars": .object(c.vars.filter { varied.contains($0.key) })]) }
        ?? .object([
          "description": test.description.map(JSONValue.string) ?? .null, "vars": .object(c.vars),
          "assert": .array(test.assertions.map(\.canonical)),
        ])
      let expected = CaseID(content: [
        "suite": .string(suite.id), "test": identity, "prompt": .string(suite.prompts[0].identity),
        "provider": .string(suite.providers[0].label),
      ])
      #expect(c.id == expected, "\(c.title)")
    }
  }

  @Test func explicitTestIDKeepsTheCaseIDWhenContentChanges() throws {
    let v1 = Self.test("old wording", line: 5, id: "refund")
    let v2 = Self.test("new wording", line: 9, id: "refund", asserts: [Harness.spec("contains", "x")])
    let id1 = try expansion.cases(for: Self.suite(tests: [v1]))[0].id
    let id2 = try expansion.cases(for: Self.suite(tests: [v2]))[0].id
    #expect(id1 == id2)
  }

  @Test func contentChangesTheIDWithoutAnExplicitID() throws {
    let id1 = try expansion.cases(for: Self.suite(tests: [Self.test("one", line: 5)]))[0].id
    let id2 = try expansion.cases(for: Self.suite(tests: [Self.test("two", line: 5)]))[0].id
    #expect(id1 != id2)
  }

  @Test func providerLabelAndPromptIdentityArePartOfTheID() throws {
    let t = [Self.test("q", line: 5)]
    let echo = try expansion.cases(for: Self.suite(tests: t, providers: ["echo"]))[0].id
    let scripted = try expansion.cases(for: Self.suite(tests: t, providers: ["scripted"]))[0].id
    #expect(echo != scripted)
    let idPrompt = [PromptTemplate(id: "p1", body: .text("v1 {{ question }}"), location: Self.loc(1))]
    let idPromptEdited = [PromptTemplate(id: "p1", body: .text("v2 {{ question }}"), location: Self.loc(1))]
    #expect(
      try expansion.cases(for: Self.suite(tests: t, prompts: idPrompt))[0].id
        == expansion.cases(for: Self.suite(tests: t, prompts: idPromptEdited))[0].id)
  }

  @Test func identicalTestsGetDistinctIDs() throws {
    let cases = try expansion.cases(for: Self.suite(tests: [Self.test("same", line: 5), Self.test("same", line: 6)]))
    #expect(cases[0].id != cases[1].id)
    #expect(cases[1].id.rawValue == cases[0].id.rawValue + "-2")
  }

  @Test func idIsSixteenHexDigits() throws {
    let id = try expansion.cases(for: Self.suite(tests: [Self.test("q", line: 5)]))[0].id.rawValue
    #expect(id.count == 16)
    #expect(id.allSatisfy { $0.isHexDigit })
  }

  @Test func templatesRenderVarsPathsEnvAndJSON() throws {
    let prompt = PromptTemplate(
      body: .text("{{ user.name }}/{{ items.1 }}/{{ env.REGION }}/{{ note | dump }}/{{ missing }}"),
      location: Self.loc(1))
    let t = TestSpec(
      vars: ["user": ["name": "Ada"], "items": .array([.array(["a", "b"])]), "note": "say \"hi\"\n"],
      location: Self.loc(5))
    // `items` holds one list, so it does not expand; its element 1 is reached by path.
    var suite = Self.suite(tests: [t], prompts: [prompt])
    var changed = Array(suite.tests)
    changed[0].vars["items"] = ["a", "b"]
    changed[0].vars["missing"] = ""
    suite.tests = TestList(changed)
    let cases = try expansion.cases(for: suite)
    #expect(cases.count == 2)
    // A var that only another test defines renders empty (nunjucks); one no test defines is an error.
    let plain = Self.suite(
      tests: [
        TestSpec(vars: ["user": ["name": "Ada"], "note": "say \"hi\"\n"], location: Self.loc(5)),
        TestSpec(vars: ["items": [["a", "b"]], "missing": "m"], location: Self.loc(6)),
      ],
      prompts: [prompt])
    let text = try expansion.cases(for: plain)[0].messages[0].content
    #expect(text == #"Ada//eu/"say \"hi\"\n"/"#)
  }

  @Test func assertionValuesAreTemplated() throws {
    let t = TestSpec(
      vars: ["city": "Paris", "question": "q"], assertions: [Harness.spec("contains", "{{ city }}")],
      location: Self.loc(5))
    let c = try expansion.cases(for: Self.suite(tests: [t]))[0]
    guard case .single = c.plan.items[0].kind else {
      Issue.record("expected a single assertion")
      return
    }
    #expect(c.plan.items[0].spec.value == "Paris")
  }

  @Test func defaultTestMergesUnderTheTest() throws {
    var s = Self.suite(tests: [TestSpec(vars: ["question": "own"], threshold: 0.5, location: Self.loc(5))])
    s.defaultTest = TestSpec(
      vars: ["question": "default", "tone": "polite"], assertions: [Harness.spec("contains", "Q")], threshold: 0.9,
      location: Self.loc(3))
    let c = try expansion.cases(for: s)[0]
    #expect(c.vars == ["question": "own", "tone": "polite"])
    #expect(c.plan.items.count == 1)
    #expect(c.plan.threshold == 0.5)
  }

  @Test func chatArrayPromptBecomesMessages() throws {
    let prompt = PromptTemplate(
      body: .text(#"[{"role": "system", "content": "be brief"}, {"role": "user", "content": "{{ question }}"}]"#),
      location: Self.loc(1))
    let c = try expansion.cases(for: Self.suite(tests: [Self.test("hi", line: 5)], prompts: [prompt]))[0]
    #expect(c.messages == [ChatMessage(role: "system", content: "be brief"), ChatMessage(role: "user", content: "hi")])
  }

  @Test func repeatOverrideWins() throws {
    var t = Self.test("q", line: 5)
    t.repeatCount = 2
    #expect(try expansion.cases(for: Self.suite(tests: [t]))[0].repeatCount == 2)
    let forced = Expansion(renderer: TemplateRenderer(), repeatOverride: 5)
    #expect(try forced.cases(for: Self.suite(tests: [t]))[0].repeatCount == 5)
  }

  @Test func badAssertionsAreCollectedWithLocations() throws {
    let t = TestSpec(
      vars: ["question": "q"], assertions: [AssertionSpec(type: "regex", value: "(", location: Self.loc(9))],
      location: Self.loc(8))
    #expect {
      try expansion.cases(for: Self.suite(tests: [t]))
    } throws: { error in
      guard let list = error as? DiagnosticList else { return false }
      return list.diagnostics.first?.location == Self.loc(9)
    }
  }
}
