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
  let bodies: [Expansion.CompiledBody]
  let readsConversation: [Bool]
  let group: SequenceGroup?

  /// Parses the suite's prompts.
  /// - Throws: ``DiagnosticList`` with every problem of the prompts (bad templates, variables no test defines).
  public init(_ suite: Suite, expansion: Expansion) throws {
    var problems: [Diagnostic] = []
    // Parsed once per prompt, rendered once per case.
    var bodies: [Expansion.CompiledBody] = []
    for prompt in suite.prompts {
      do {
        let body = try Expansion.CompiledBody(prompt.body, renderer: expansion.renderer, at: prompt.location)
        // Asked of the tests without reading them: a vars CSV's rows are read only as cases are made.
        problems += Expansion.undefinedVariables(in: body, of: prompt) {
          suite.tests.varNames(mergedWith: suite.defaultTest)
        }
        bodies.append(body)
      } catch let d as Diagnostic {
        problems.append(d)
      }
    }
    if !problems.isEmpty { throw DiagnosticList(problems) }
    self.suite = suite
    self.expansion = expansion
    self.bodies = bodies
    // A suite whose tests keep outputs for later tests, or whose prompts read the conversation so far, runs
    // its cases in order (as promptfoo does).
    readsConversation = bodies.map {
      $0.templates.contains { t in t.variables.contains { $0.name == "_conversation" } }
    }
    // (Streamed rows never set `storeOutputAs`; see ``TestRows``.)
    let storesOutput =
      suite.defaultTest?.storeOutputAs != nil && !suite.tests.isEmpty
      || suite.tests.listed.contains { $0.storeOutputAs != nil }
    group = storesOutput || readsConversation.contains(true) ? SequenceGroup() : nil
  }

  public func makeIterator() -> Iterator { Iterator(of: self) }

  /// An iterator whose cases have no id, title or comparison group: each is rendered (and fails) as
  /// ``makeIterator()``'s would, for a survey that counts every case and collects the problems. A third less work a
  /// case than the full ones (docs/benchmarks.md, session 15).
  public func makeSurveyIterator() -> Iterator { Iterator(of: self, identified: false) }

  /// Walks prompt → provider → test → combination, making one case per step; only the current test is
  /// held (merged with `defaultTest`, with its identity prefix).
  public struct Iterator: IteratorProtocol {
    private let cases: SuiteCases
    private var prompt = 0
    /// The current prompt's providers (those its `prompts` filter lets through), with their keys and the
    /// start of their cases' identities.
    private var providers: [(base: ProviderSpec, spec: ProviderSpec, key: String, head: String)]?
    private var provider = 0
    /// The walk over the suite's tests for the current prompt and provider (each walk reads a vars CSV's
    /// rows again, one at a time), and the test looked at when it runs with them, with its identity prefix.
    private var tests: TestList.Iterator?
    private var current: (spec: TestSpec, identity: CaseID.Prefix)?
    private var combinations: VarCombinations?
    private var combination = 0
    /// The ids made so far (a case id is 64 bits), and how often each id seen twice was seen: two identical
    /// tests get `-2`, `-3`… suffixes, in order.
    private var seen: Set<UInt64> = []
    private var repeated: [UInt64: Int] = [:]

    /// Whether the cases get their ids and titles (not for a survey: ``SuiteCases/makeSurveyIterator()``).
    private let identified: Bool

    init(of cases: SuiteCases, identified: Bool = true) {
      self.cases = cases
      self.identified = identified
    }

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
              return (base, spec, spec.key, Expansion.identityHead(suite: suite, prompt: template, provider: spec))
            }
          provider = 0
        }
        guard let providers, provider < providers.count else {
          (prompt, providers, tests, current, combinations) = (prompt + 1, nil, nil, nil, nil)
          continue
        }
        let (base, spec, key, head) = providers[provider]
        // The next test this prompt and provider run.
        if tests == nil { tests = suite.tests.makeIterator() }
        while current == nil, let next = tests?.next() {
          let candidate = next.merged(with: suite.defaultTest)
          if TestSpec.filter(candidate.promptFilter, matches: template.label, id: template.id)
            && TestSpec.filter(candidate.providerFilter, matches: spec.label, id: spec.id)
          {
            current = (candidate, CaseID.Prefix(Expansion.identityPrefix(head: head, test: candidate)))
            combinations = VarCombinations(candidate.vars)
            combination = 0
          }
        }
        guard let current, let combinations else {
          // A file that changed since it was checked ends the walk with its problem.
          let failure = tests?.failure
          (provider, tests) = (provider + 1, nil)
          if let failure { return .failure(failure) }
          continue
        }
        guard combination < combinations.count else {
          (self.current, self.combinations) = (nil, nil)
          continue
        }
        let vars = combinations[combination]
        combination += 1
        do {
          return .success(
            try make(template: template, base: base, provider: (spec, key), test: current, vars: vars))
        } catch let d as Diagnostic {
          return .failure(d)
        } catch {
          return .failure(Diagnostic("\(error)", at: template.location))
        }
      }
    }

    private mutating func make(
      template: PromptTemplate, base: ProviderSpec, provider: (spec: ProviderSpec, key: String),
      test: (spec: TestSpec, identity: CaseID.Prefix), vars: [String: JSONValue]
    ) throws -> EvalCase {
      let body = cases.bodies[prompt]
      var c = try cases.expansion.makeCase(
        suite: cases.suite, prompt: template, body: body, provider: provider, test: test, vars: vars,
        identified: identified)
      guard identified else { return c }
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
