import Foundation

/// Expands suites into cases: prompts × providers × tests, array vars into their cartesian product,
/// templates rendered, assertions built. Pure: the environment comes in as a value.
public struct Expansion: Sendable {
  /// Renders prompts and assertion values.
  public var renderer: TemplateRenderer
  /// Assertion types available.
  public var registry: AssertionRegistry
  /// Overrides every suite's and test's `repeat` when set (`--repeat`).
  public var repeatOverride: Int?

  /// Creates an expansion.
  public init(renderer: TemplateRenderer, registry: AssertionRegistry = .standard, repeatOverride: Int? = nil) {
    self.renderer = renderer
    self.registry = registry
    self.repeatOverride = repeatOverride
  }

  /// Expands one suite into every case at once (``SuiteCases`` yields them one at a time).
  /// - Throws: ``DiagnosticList`` with every located problem found (bad templates, variables no test
  ///   defines, bad assertions).
  public func cases(for suite: Suite) throws -> [EvalCase] {
    var out: [EvalCase] = []
    var problems: [Diagnostic] = []
    for item in try SuiteCases(suite, expansion: self) {
      switch item {
      case .success(let c): out.append(c)
      case .failure(let d): if !problems.contains(d) { problems.append(d) }
      }
    }
    if !problems.isEmpty { throw DiagnosticList(problems) }
    return out
  }

  /// The canonical JSON of a case's identity up to its vars, the same for all the cases of a test:
  /// `{"prompt":…,"provider":…,"suite":…,"test":{"assert":…,"description":…,"vars":` (or, for a test with
  /// an `id`, `"test":{"id":…,"vars":` with only the vars that vary). The case adds its vars and `}}`;
  /// the whole is what ``JSONValue/canonicalJSON`` gives for that object, keys sorted, so ids never change.
  static func identityPrefix(suite: Suite, prompt: PromptTemplate, provider: ProviderSpec, test: TestSpec) -> String {
    identityPrefix(head: identityHead(suite: suite, prompt: prompt, provider: provider), test: test)
  }

  /// The start of ``identityPrefix(suite:prompt:provider:test:)`` that all the tests of a prompt and provider
  /// share: `{"prompt":…,"provider":…,"suite":…,"test":{`.
  static func identityHead(suite: Suite, prompt: PromptTemplate, provider: ProviderSpec) -> String {
    let out = #"{"prompt":"# + JSONValue.quote(prompt.identity) + #","provider":"# + JSONValue.quote(provider.label)
    return out + #","suite":"# + JSONValue.quote(suite.id) + #","test":{"#
  }

  /// ``identityPrefix(suite:prompt:provider:test:)`` from its shared `head` (``identityHead(suite:prompt:provider:)``,
  /// made once per prompt and provider rather than once per test: a vars CSV has a test per case).
  static func identityPrefix(head: String, test: TestSpec) -> String {
    var out = head
    if let id = test.id {
      out += #""id":"# + JSONValue.quote(id)
    } else {
      out += #""assert":"# + JSONValue.array(test.assertions.map(\.canonical)).canonicalJSON
      out += #","description":"# + (test.description.map(JSONValue.quote) ?? "null")
    }
    return out + #","vars":"#
  }

  /// One case. `provider` and `test` come with what is computed once for all their cases: the provider's
  /// key and the test's ``identityPrefix(suite:prompt:provider:test:)``, hashed. Without `identified`, the case
  /// has no id, title or comparison group (empty): what a survey that keeps every case needs is rendered, and
  /// fails as the full case would.
  func makeCase(
    suite: Suite, prompt: PromptTemplate, body: CompiledBody, provider: (spec: ProviderSpec, key: String),
    test: (spec: TestSpec, identity: CaseID.Prefix), vars: [String: JSONValue], identified: Bool = true
  ) throws -> EvalCase {
    let (provider, providerKey) = provider
    let (test, identity) = test
    let messages = Expansion.affixed(
      try body.render(Expansion.resolvingReferences(vars, renderer: renderer), at: prompt.location), test: test)
    let specs = try test.assertions.map {
      try renderSpec($0.withProviderSchemas(provider.config), vars: vars).judged(by: test.judge)
        .withRubricPrompt(test.rubricPrompt)
    }
    let plan = try ScoringPlan.build(specs, threshold: test.threshold, registry: registry)
    var (id, title) = (CaseID(rawValue: ""), "")
    if identified {
      let varied = test.vars.filter { Expansion.expands($0.value) }.keys.sorted()
      title = test.description ?? test.id ?? Expansion.summary(of: vars)
      if !varied.isEmpty, test.description != nil || test.id != nil {
        title += " [" + varied.map { "\($0)=\(vars[$0]?.plainText ?? "")" }.joined(separator: ", ") + "]"
      }
      let identityVars = test.id == nil ? vars : vars.filter { varied.contains($0.key) }
      id = identity.id(rest: JSONValue.object(identityVars).canonicalJSON + "}}")
    }
    let repeats = repeatOverride ?? test.repeatCount ?? suite.repeatCount
    var c = EvalCase(
      id: id, suiteID: suite.id, location: test.location, title: title, testID: test.id, tags: test.tags,
      metadata: test.metadata, promptLabel: prompt.label, providerLabel: provider.label, providerKey: providerKey,
      vars: vars, messages: messages, plan: plan, repeatCount: max(1, repeats))
    c.transform = test.transform
    c.fixedOutput = test.providerOutput
    if identified, specs.contains(where: { CompareAssertion.types.contains($0.type) }) {
      c.comparisonGroup =
        test.location.description + "\u{1F}" + (test.description ?? "") + "\u{1F}"
        + JSONValue.object(vars).canonicalJSON
    }
    let codeVars = test.codeVars.filter { vars[$0.key] != nil }
    let computed: Bool
    switch prompt.body {
    case .function, .command: computed = true
    case .text, .messages: computed = false
    }
    if !codeVars.isEmpty || computed || test.transformVars != nil || !suite.extensions.isEmpty {
      var deferred = DeferredPrompt(
        body: prompt.body, codeVars: codeVars, location: prompt.location,
        provider: .object(["id": .string(provider.id), "label": .string(provider.label)]))
      deferred.transformVars = test.transformVars
      deferred.promptLabel = prompt.label
      deferred.hooks = suite.extensions
      deferred.testDescription = test.description
      deferred.filters = suite.nunjucksFilters
      c.deferred = deferred
    }
    c.scoringFunction = test.scoringFunction
    return c
  }

  /// A prompt's templates, parsed.
  struct CompiledBody {
    enum Kind {
      case text(TemplateRenderer.Compiled)
      case messages([(role: String, content: TemplateRenderer.Compiled)])
      case function(TransformSpec)
      case command(String)
    }
    let kind: Kind

    init(_ body: PromptTemplate.Body, renderer: TemplateRenderer, at location: SourceLocation) throws {
      switch body {
      case .text(let t): kind = .text(try renderer.compile(t, at: location))
      case .messages(let ms):
        kind = .messages(try ms.map { ($0.role, try renderer.compile($0.content, at: location)) })
      case .function(let f): kind = .function(f)
      case .command(let c, _): kind = .command(c)
      }
    }

    var templates: [TemplateRenderer.Compiled] {
      switch kind {
      case .text(let template): [template]
      case .messages(let templates): templates.map(\.content)
      case .function, .command: []
      }
    }

    func render(_ vars: [String: JSONValue], at location: SourceLocation) throws -> [ChatMessage] {
      switch kind {
      case .messages(let templates):
        return try templates.map { ChatMessage(role: $0.role, content: try $0.content.render(vars, at: location)) }
      case .text(let template):
        let text = try template.render(vars, at: location)
        if let chat = Expansion.chatArray(text) { return chat }
        return [ChatMessage(role: "user", content: text)]
      case .function(let f):
        // Stands in until the run calls the function (see ``DeferredPrompt``); `list` shows it.
        return [ChatMessage(role: "user", content: f.source.text)]
      case .command(let c):
        return [ChatMessage(role: "user", content: "exec:" + c)]
      }
    }
  }

  /// A prompt reading a variable that no test (nor `defaultTest`) defines, without a guard, would send
  /// every case with an empty hole: that is an error at load time. (A variable some tests define renders
  /// empty in the others, as in nunjucks.)
  static func undefinedVariables(
    in body: CompiledBody, of prompt: PromptTemplate, definedBy definedNames: () -> Set<String>
  ) -> [Diagnostic] {
    var problems: [Diagnostic] = []
    var defined: Set<String>?
    // A promptfoo config's prompts render it empty, as Nunjucks does (the loader warned).
    if prompt.undefinedRendersEmpty { return [] }
    for template in body.templates {
      // `_conversation` is the runner's: the earlier turns, empty on the first.
      for variable in template.requiredVariables where variable.name != "_conversation" {
        if defined == nil { defined = definedNames() }
        guard defined?.contains(variable.name) == false else { continue }
        let location = variable.position.location(in: prompt.location)
        let place = location == prompt.location ? " (template \(variable.position))" : ""
        problems.append(
          Diagnostic(
            "the prompt uses '\(variable.name)'\(place), which no test defines",
            at: location,
            notes: [
              "define '\(variable.name)' in a test's 'vars' (or in 'defaultTest'), or guard it: "
                + "'{{ \(variable.name) | default(\"\") }}' or '{% if \(variable.name) is defined %}…{% endif %}'"
            ]))
      }
    }
    return problems
  }

  private func renderSpec(_ spec: AssertionSpec, vars: [String: JSONValue]) throws -> AssertionSpec {
    var out = spec
    do {
      out.value = try spec.value.map { try renderer.render($0, vars: vars) }
    } catch let d as Diagnostic {
      throw Diagnostic(d.message, at: spec.location)
    }
    out.children = try spec.children.map { try renderSpec($0, vars: vars) }
    return out
  }

  /// The messages with the test's `prefix` and `suffix` (promptfoo's `options.prefix`/`suffix`) around the
  /// last user message (the whole prompt, for a text prompt).
  static func affixed(_ messages: [ChatMessage], test: TestSpec) -> [ChatMessage] {
    guard test.promptPrefix != nil || test.promptSuffix != nil,
      let last = messages.lastIndex(where: { $0.role == "user" }) ?? messages.indices.last
    else { return messages }
    var out = messages
    out[last].content = (test.promptPrefix ?? "") + out[last].content + (test.promptSuffix ?? "")
    return out
  }

  /// The vars with each text value that holds a template rendered with the others (one pass, as promptfoo
  /// renders vars that refer to vars); a value that does not render stays as it is.
  static func resolvingReferences(_ vars: [String: JSONValue], renderer: TemplateRenderer) -> [String: JSONValue] {
    guard vars.values.contains(where: { $0.stringValue.map(TemplateRenderer.isTemplate) ?? false }) else { return vars }
    var out = vars
    for (name, value) in vars {
      guard case .string(let text) = value, TemplateRenderer.isTemplate(text),
        let rendered = try? renderer.render(text, vars: vars)
      else { continue }
      out[name] = .string(rendered)
    }
    return out
  }

  /// A prompt that renders to a JSON array of `{role, content}` is a chat, as in promptfoo.
  static func chatArray(_ text: String) -> [ChatMessage]? {
    // Most prompts are plain text: an ASCII first non-blank byte other than `[` settles it without
    // trimming (anything else, such as a non-ASCII space, takes the full path).
    if let first = text.utf8.first(where: { !(0x09...0x0D).contains($0) && $0 != 0x20 }), first < 0x80,
      first != UInt8(ascii: "[")
    {
      return nil
    }
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard trimmed.hasPrefix("["), trimmed.hasSuffix("]"), case .array(let items)? = JSONValue.parse(trimmed),
      !items.isEmpty
    else { return nil }
    var messages: [ChatMessage] = []
    for item in items {
      guard let o = item.objectValue, let role = o["role"]?.stringValue, let content = o["content"]?.stringValue
      else { return nil }
      messages.append(ChatMessage(role: role, content: content))
    }
    return messages
  }

  /// Whether a var's value expands into one case per item: a non-empty list, unless its items are objects (a
  /// list of objects, such as `_conversation`, is one value, as in promptfoo). promptfoo expands only lists
  /// of text; evalgate also expands lists of numbers, and a list of lists into one case per inner list (the
  /// way to give a list as one value).
  public static func expands(_ value: JSONValue) -> Bool {
    guard case .array(let items) = value, let first = items.first else { return false }
    if case .object = first { return false }
    return true
  }

  /// Every combination of the vars that expand (see ``expands(_:)``; keys in sorted order, values in list
  /// order).
  public static func combinations(of vars: [String: JSONValue]) -> [[String: JSONValue]] {
    Array(VarCombinations(vars))
  }

  /// `name=value, …` in key order, shortened: a test's title when it has no description.
  static func summary(of vars: [String: JSONValue]) -> String {
    if vars.isEmpty { return "(no vars)" }
    let text = vars.keys.sorted().map { "\($0)=\(vars[$0]?.plainText ?? "")" }.joined(separator: ", ")
    // Short text of printable ASCII (a matrix's numbers, say) has no line break and fits: it is the title as
    // it is, without splitting and counting characters (0.6 % of a large run's CPU, once per case and pass).
    if text.utf8.count <= 80, text.utf8.allSatisfy({ (0x20..<0x7F).contains($0) }) { return text }
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return flat.count > 80 ? String(flat.prefix(79)) + "…" : flat
  }
}
