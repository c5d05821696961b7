import EvalCore
import EvalTestSupport
import Testing

/// `storeOutputAs` and `_conversation`: a suite whose cases read earlier answers runs them in order, each
/// rendered when its turn comes; and `max-score`/`select-best`, decided once a test's outputs are all in.
@Suite(.offThePool) struct OrderedCasesTests {
  static let here = SourceLocation(file: "s.yaml", line: 1)

  static func run(_ suite: Suite, concurrency: Int = 4) async throws -> [CaseResult] {
    let cases = try Expansion(renderer: TemplateRenderer()).cases(for: suite)
    let provider = CountingProvider(delay: .milliseconds(5))
    return await Runner(concurrency: concurrency, timeout: .seconds(10), retry: .none).run(
      cases, providers: Dictionary(uniqueKeysWithValues: suite.providers.map { ($0.key, provider as any Provider) }))
  }

  static func test(_ vars: [String: JSONValue], store: String? = nil, conversation: String? = nil) -> TestSpec {
    var t = TestSpec(vars: vars, location: here)
    t.storeOutputAs = store
    if let conversation { t.metadata["conversationId"] = .string(conversation) }
    return t
  }

  @Test func aStoredOutputIsALaterTestsVar() async throws {
    let suite = Suite(
      id: "s", file: "s.yaml",
      prompts: [PromptTemplate(body: .text("Respond: {{message}}"), location: Self.here)],
      providers: [ProviderSpec(id: "echo", location: Self.here)],
      tests: [
        Self.test(["message": "pick a fruit"], store: "fruit"),
        Self.test(["message": "why {{fruit}}?"], store: "reason"),
        Self.test(["message": "rebut {{reason}}"]),
      ])
    let results = try await Self.run(suite)
    #expect(
      results.map { $0.attempts.first?.output } == [
        "ok Respond: pick a fruit", "ok Respond: why ok Respond: pick a fruit?",
        "ok Respond: rebut ok Respond: why ok Respond: pick a fruit?",
      ])
    // The report shows what was sent.
    #expect(results[1].messages.first?.content == "Respond: why ok Respond: pick a fruit?")
  }

  @Test func eachConversationSeesOnlyItsOwnEarlierTurns() async throws {
    let template = "{% for t in _conversation %}[{{ t.input }} => {{ t.output }}]{% endfor %}{{ q }}"
    let suite = Suite(
      id: "s", file: "s.yaml", prompts: [PromptTemplate(body: .text(template), location: Self.here)],
      providers: [ProviderSpec(id: "echo", location: Self.here)],
      tests: [
        Self.test(["q": "who founded it?"], conversation: "a"),
        Self.test(["q": "weather?"], conversation: "b"),
        Self.test(["q": "where does he live?"], conversation: "a"),
      ])
    let sent = try await Self.run(suite).map { $0.messages.first?.content ?? "" }
    #expect(sent[0] == "who founded it?")
    #expect(sent[1] == "weather?")
    #expect(sent[2] == "[who founded it? => ok who founded it?]where does he live?")
  }

  @Test func maxScorePassesOnlyTheHighestScoringOutput() async throws {
    // Both outputs pass the test (threshold 0.4); only the higher scoring one is selected.
    let contains = AssertionSpec(type: "contains", value: "best", location: Self.here)
    let answers = AssertionSpec(type: "contains", value: "answer", location: Self.here)
    let maxScore = AssertionSpec(type: "max-score", location: Self.here)
    let suite = Suite(
      id: "s", file: "s.yaml",
      prompts: [
        PromptTemplate(label: "plain", body: .text("answer {{q}}"), location: Self.here),
        PromptTemplate(label: "best", body: .text("best answer {{q}}"), location: Self.here),
      ],
      providers: [ProviderSpec(id: "echo", location: Self.here)],
      tests: [
        TestSpec(vars: ["q": "x"], assertions: [contains, answers, maxScore], threshold: 0.4, location: Self.here)
      ])
    let results = try await Self.run(suite)
    let byPrompt = Dictionary(uniqueKeysWithValues: results.map { ($0.prompt, $0) })
    #expect(byPrompt["best"]?.outcome == .passed)
    #expect(byPrompt["plain"]?.outcome == .failed)
    #expect(byPrompt["plain"]?.attempts.first?.assertions.last?.reason.hasPrefix("not selected") == true)
  }

  @Test func selectBestAsksTheJudgeWhichOutputIsBest() async throws {
    let here = Self.here
    var spec = AssertionSpec(type: "select-best", value: "most polite", location: here)
    spec.judge = ProviderSpec(id: "judge", location: here)
    let plan = try ScoringPlan.build([spec], threshold: nil, registry: .standard)
    let cases = ["rude", "polite", "meh"].map { text in
      EvalCase(
        id: CaseID(rawValue: text), suiteID: "s", location: here, title: "t", promptLabel: text, providerLabel: "p",
        providerKey: "p", vars: [:], messages: [ChatMessage(role: "user", content: text)], plan: plan)
    }
    let results = cases.map { c in
      CaseResult(
        case: c,
        attempts: [
          AttemptResult(
            index: 0, outcome: .passed, output: c.promptLabel, latencyMs: 1, score: 1,
            assertions: [
              AssertionResult(
                spec: spec, outcome: AssertionOutcome(pass: true, reason: CompareAssertion.pendingReason), children: [])
            ])
        ])
    }
    let judge: JudgeCall = { _, messages, _ in
      #expect(messages.last?.content.contains("<output-1>\npolite") == true)
      return .success("Output 1 is the most polite.")
    }
    let decided = await OutputComparison.apply(
      results, group: { _ in "g" }, judge: judge, specs: { _ in [spec] })
    #expect(decided.map(\.outcome) == [.failed, .passed, .failed])
  }

  @Test func orderedAndComparedCasesStayInOneShard() throws {
    let ordered = Suite(
      id: "ordered", file: "s.yaml", prompts: [PromptTemplate(body: .text("{{m}}"), location: Self.here)],
      providers: [ProviderSpec(id: "echo", location: Self.here)],
      tests: (0..<12).map { Self.test(["m": .string("turn \($0)")], store: "last") })
    let cases = try Expansion(renderer: TemplateRenderer()).cases(for: ordered)
    #expect(Set(cases.map(\.id)).count == 12)
    #expect(Set(cases.map(\.shardKey)).count == 1)
    let shards = (1...4).compactMap { Shard("\($0)/4") }
    #expect(shards.filter { s in cases.contains { s.contains($0.shardKey) } }.count == 1)
    let compared = Suite(
      id: "compared", file: "s.yaml",
      prompts: [
        PromptTemplate(label: "a", body: .text("a {{q}}"), location: Self.here),
        PromptTemplate(label: "b", body: .text("b {{q}}"), location: Self.here),
      ],
      providers: [ProviderSpec(id: "echo", location: Self.here)],
      tests: [
        TestSpec(
          vars: ["q": ["x", "y", "z"]], assertions: [AssertionSpec(type: "max-score", location: Self.here)],
          location: Self.here)
      ])
    let pairs = try Expansion(renderer: TemplateRenderer()).cases(for: compared)
    // Three var values, each compared across the two prompts: three groups of two.
    #expect(Dictionary(grouping: pairs, by: \.shardKey).values.map(\.count).sorted() == [2, 2, 2])
  }
}
