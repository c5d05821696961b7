/// A suite's cases, expanded one at a time as they are asked for: prompts × providers × tests × vars
/// combinations, in the order ``Expansion/cases(for:)`` lists them. Nothing but the case being made is
/// held, so a run can start on a million-case suite at once and keep only the cases under way.
///
/// The templates are parsed when the sequence is made (a bad template or a variable no test defines
/// throws then); a case that fails to render (an assertion value's template, say) is a `.failure` in its
/// place, so a caller can collect every problem or stop at the first.
public struct SuiteCases: Sequence, Sendable {
  let suite: Suite
  let expansion: Expansion
  let tests: [TestSpec]
  let bodies: [Expansion.CompiledBody]
  let readsConversation: [Bool]
  let group: SequenceGroup?

  /// Parses the suite's prompts.
  /// - Throws: ``DiagnosticList`` with every problem of the prompts (bad templates, variables no test defines).
  public init(_ suite: Suite, expansion: Expansion) throws {
    var problems: [Diagnostic] = []
    let tests = suite.tests.map { $0.merged(with: suite.defaultTest) }
    // Parsed once per prompt, rendered once per case.
    var bodies: [Expansion.CompiledBody] = []
    for prompt in suite.prompts {
      do {
        let body = try Expansion.CompiledBody(prompt.body, renderer: expansion.renderer, at: prompt.location)
        problems += Expansion.undefinedVariables(in: body, of: prompt, tests: tests)
        bodies.append(body)
      } catch let d as Diagnostic {
        problems.append(d)
      }
    }
    if !problems.isEmpty { throw DiagnosticList(problems) }
    self.suite = suite
    self.expansion = expansion
    self.tests = tests
    self.bodies = bodies
    // A suite whose tests keep outputs for later tests, or whose prompts read the conversation so far, runs
    // its cases in order (as promptfoo does).
    readsConversation = bodies.map {
      $0.templates.contains { t in t.variables.contains { $0.name == "_conversation" } }
    }
    group = tests.contains { $0.storeOutputAs != nil } || readsConversation.contains(true) ? SequenceGroup() : nil
  }

  public func makeIterator() -> Iterator { Iterator(of: self) }

  /// Walks prompt → provider → test → combination, making one case per step.
  public struct Iterator: IteratorProtocol {
    private let cases: SuiteCases
    private var prompt = 0
    /// The current prompt's providers (those its `prompts` filter lets through), with their keys.
    private var providers: [(base: ProviderSpec, spec: ProviderSpec, key: String)]?
    private var provider = 0
    /// The current prompt and provider's tests, with their identity prefixes.
    private var tests: [(spec: TestSpec, identity: String)]?
    private var test = 0
    private var combinations: VarCombinations?
    private var combination = 0
    /// The ids made so far (a case id is 64 bits), and how often each id seen twice was seen: two identical
    /// tests get `-2`, `-3`… suffixes, in order.
    private var seen: Set<UInt64> = []
    private var repeated: [UInt64: Int] = [:]

    init(of cases: SuiteCases) { self.cases = cases }

    public mutating func next() -> Result<EvalCase, Diagnostic>? {
      let suite = cases.suite
      while true {
        guard prompt < suite.prompts.count else { return nil }
        let template = suite.prompts[prompt]
        if providers == nil {
          providers = suite.providers.filter { TestSpec.filter($0.prompts, matches: template.label, id: template.id) }
            .map { base in
              // A prompt's own `config` is merged over the provider's for that prompt's calls.
              let spec = base.merging(promptConfig: template.config)
              return (base, spec, spec.key)
            }
          provider = 0
        }
        guard let providers, provider < providers.count else {
          (prompt, providers, tests) = (prompt + 1, nil, nil)
          continue
        }
        let (base, spec, key) = providers[provider]
        if tests == nil {
          tests = cases.tests.filter {
            TestSpec.filter($0.promptFilter, matches: template.label, id: template.id)
              && TestSpec.filter($0.providerFilter, matches: spec.label, id: spec.id)
          }.map { ($0, Expansion.identityPrefix(suite: suite, prompt: template, provider: spec, test: $0)) }
          test = 0
        }
        guard let tests, test < tests.count else {
          (provider, self.tests, combinations) = (provider + 1, nil, nil)
          continue
        }
        if combinations == nil {
          combinations = VarCombinations(tests[test].spec.vars)
          combination = 0
        }
        guard let combinations, combination < combinations.count else {
          (test, self.combinations) = (test + 1, nil)
          continue
        }
        let vars = combinations[combination]
        combination += 1
        do {
          return .success(
            try make(template: template, base: base, provider: (spec, key), test: tests[test], vars: vars))
        } catch let d as Diagnostic {
          return .failure(d)
        } catch {
          return .failure(Diagnostic("\(error)", at: template.location))
        }
      }
    }

    private mutating func make(
      template: PromptTemplate, base: ProviderSpec, provider: (spec: ProviderSpec, key: String),
      test: (spec: TestSpec, identity: String), vars: [String: JSONValue]
    ) throws -> EvalCase {
      let body = cases.bodies[prompt]
      var c = try cases.expansion.makeCase(
        suite: cases.suite, prompt: template, body: body, provider: provider, test: test, vars: vars)
      if let group = cases.group {
        let testSpec = test.spec
        let conversation =
          cases.readsConversation[prompt]
          ? [base.label, template.identity, testSpec.metadata["conversationId"]?.plainText ?? ""].joined(
            separator: "\u{1F}") : nil
        let (location, renderer) = (template.location, cases.expansion.renderer)
        c.sequence = CaseSequence(
          group: group, storeOutputAs: testSpec.storeOutputAs, conversation: conversation,
          render: {
            Expansion.affixed(
              try body.render(Expansion.resolvingReferences($0, renderer: renderer), at: location), test: testSpec)
          })
      }
      let bits = UInt64(c.id.rawValue, radix: 16) ?? UInt64(truncatingIfNeeded: c.id.rawValue.hashValue)
      if seen.insert(bits).inserted == false {
        let n = (repeated[bits] ?? 1) + 1
        repeated[bits] = n
        c.id = CaseID(rawValue: "\(c.id.rawValue)-\(n)")
      }
      return c
    }
  }
}
