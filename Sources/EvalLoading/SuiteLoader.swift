import EvalCore
import Foundation
import Yams

/// Loads suite files: a superset of promptfoo's config (description, prompts, providers, tests,
/// defaultTest, repeat), with `file://` includes for prompts, tests and vars.
public struct SuiteLoader {
  /// The project config (named providers).
  public var project: ProjectConfig
  /// Where included files may come from (`nil`: anywhere, for configs built in code).
  public var confinement: PathConfinement?

  /// Creates a loader.
  public init(project: ProjectConfig) {
    self.project = project
    confinement = PathConfinement(project: project)
  }

  /// Resolves a `file://` reference (or a plain path) against the including file, checks it lies inside the
  /// project, and records it as included.
  /// - Throws: ``Diagnostic`` at `node` for a path outside the project.
  func include(_ reference: String, at node: YAMLNode, context: inout Context) throws -> String {
    let path = FileSource.resolve(reference, relativeTo: node.file)
    try confinement?.check(path, reference: reference, at: node.location)
    context.includes.append(path)
    return path
  }

  static let suiteKeys = [
    "id", "description", "prompts", "providers", "targets", "tests", "defaultTest", "repeat", "tags",
    "evaluateOptions", "verdict", "requires", "scenarios", "derivedMetrics", "outputPath", "assertionTemplates",
  ]
  static let testKeys = [
    "id", "description", "vars", "assert", "threshold", "metadata", "tags", "repeat", "must_pass", "options",
    "prompts", "providers", "providerOutput",
  ]
  static let assertKeys = [
    "type", "value", "threshold", "weight", "metric", "assert", "provider", "judgeRepeats", "judgeAggregate",
    "config", "rubricPrompt",
  ]
  static let providerKeys = ["id", "label", "config", "prompts", "delay"]
  /// The formats `outputPath` may name, by extension.
  static let outputExtensions = ["json", "jsonl", "csv", "html", "xml", "md"]
  static let promptKeys = ["id", "label", "raw", "messages", "config"]

  /// A loaded suite and the files it included (so folder discovery does not load them as suites).
  public struct Loaded {
    /// The suite.
    public var suite: Suite
    /// Included files, resolved.
    public var includes: [String]
  }

  /// Loads one suite file.
  /// - Throws: ``Diagnostic`` located in the suite or an included file.
  public func load(file: String) throws -> Loaded {
    try load(root: try YAMLNode.parse(try FileSource.text(file), file: file), file: file)
  }

  /// Loads a suite from its parsed top level (`nil` for an empty file).
  func load(root: YAMLNode?, file: String) throws -> Loaded {
    guard let root else {
      throw Diagnostic("suite file is empty", at: SourceLocation(file: file, line: 1, column: 1))
    }
    var context = Context(file: file)
    let suite = try parseSuite(root, context: &context)
    return Loaded(suite: suite, includes: context.includes)
  }

  /// What the top level of a YAML file looks like, for folder discovery.
  public static func looksLikeSuite(file: String) -> Bool {
    guard let text = try? FileSource.text(file), let root = try? YAMLNode.parse(text, file: file) else { return true }
    if case .mapping = root.node { return true }
    return false
  }

  struct Context {
    var file: String
    var includes: [String] = []
    /// Located notes for the run's warnings.
    var warnings: [String] = []
    /// promptfoo's `assertionTemplates`, by name, for `$ref: '#/assertionTemplates/<name>'`.
    var assertionTemplates: [String: YAMLNode] = [:]

    /// A context for a file included from this one: the same templates.
    func included(_ path: String) -> Context {
      var inner = Context(file: path)
      inner.assertionTemplates = assertionTemplates
      return inner
    }
  }

  /// Runs `body`, adding what it throws to `problems`, so a file's problems are all reported in one pass.
  static func collect(_ problems: inout [Diagnostic], _ body: () throws -> Void) {
    do {
      try body()
    } catch let d as Diagnostic {
      problems.append(d)
    } catch let list as DiagnosticList {
      problems += list.diagnostics
    } catch {
      problems.append(Diagnostic("\(error)"))
    }
  }

  func parseSuite(_ root: YAMLNode, context: inout Context) throws -> Suite {
    let m = try root.mapping("a suite")
    var problems: [Diagnostic] = []
    // Missing keys are said after the rest: often a misspelt key (reported where it is) is the cause.
    var missing: [Diagnostic] = []
    for entry in m.entries where !SuiteLoader.suiteKeys.contains(entry.key) {
      if let why = PromptfooKeys.refusedSuiteKeys[entry.key] {
        problems.append(entry.keyNode.error(why))
      } else if let note = PromptfooKeys.ignoredSuiteKeys[entry.key] {
        context.warnings.append("\(entry.keyNode.location): \(note)")
      } else {
        problems.append(
          entry.keyNode.error(
            "unknown key '\(entry.key)' in a suite" + Suggestion.didYouMean(entry.key, in: SuiteLoader.suiteKeys)))
      }
    }
    if m.has("providers"), m.has("targets") {
      problems.append(
        (m.entries.first { $0.key == "targets" }?.keyNode ?? root).error(
          "use either 'providers' or 'targets', not both"))
    }
    let file = root.file
    var id = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    // promptfoo's configs are all called promptfooconfig: the folder names the suite.
    if id.hasPrefix("promptfooconfig") {
      let folder = ((file as NSString).deletingLastPathComponent as NSString).lastPathComponent
      if !folder.isEmpty, folder != "." { id = folder + id.dropFirst("promptfooconfig".count) }
    }
    SuiteLoader.collect(&problems) { if let given = try m["id"]?.string("'id'") { id = given } }
    var prompts: [PromptTemplate] = []
    if let promptsNode = m["prompts"] {
      SuiteLoader.collect(&problems) {
        prompts = try self.prompts(promptsNode, context: &context)
        if prompts.isEmpty { throw promptsNode.error("'prompts' is empty") }
      }
    } else {
      missing.append(root.error("suite has no 'prompts'"))
    }

    var providers: [ProviderSpec] = []
    if let p = m["providers"] ?? m["targets"] {
      for item in p.listOrSingle() {
        SuiteLoader.collect(&problems) { providers += try providerReferences(item, context: &context) }
      }
    } else {
      providers = project.defaultProviders.compactMap { project.providers[$0] }
      if providers.isEmpty {
        missing.append(root.error("suite has no 'providers' (and evalgate.yaml sets no 'defaultProviders')"))
      }
    }
    // A prompt's `config` must suit every provider it is merged into.
    for prompt in prompts where !prompt.config.isEmpty {
      for p in providers where TestSpec.filter(p.prompts, matches: prompt.label, id: prompt.id) {
        do {
          try ProviderCatalog.validate(p.merging(promptConfig: prompt.config))
        } catch let d as Diagnostic {
          problems.append(
            Diagnostic("prompt '\(prompt.label)' 'config' for provider '\(p.label)': \(d.message)", at: prompt.location)
          )
        } catch {}
      }
    }
    var labels: Set<String> = []
    for p in providers where !labels.insert(p.label).inserted {
      problems.append(
        Diagnostic("two providers share the label '\(p.label)'; give one a distinct 'label'", at: p.location))
    }

    var repeatCount = 1
    var repeatLocation: SourceLocation?
    var maxConcurrency: Int?
    var delayMs: Double?
    SuiteLoader.collect(&problems) {
      if let r = m["repeat"] { (repeatCount, repeatLocation) = (try r.int("'repeat'", min: 1), r.location) }
      if let options = m["evaluateOptions"] {
        let o = try options.mapping("'evaluateOptions'")
        try o.check(allowed: ["repeat", "maxConcurrency", "showProgressBar", "cache", "delay", "timeoutMs"])
        if let r = o["repeat"] { (repeatCount, repeatLocation) = (try r.int("'repeat'", min: 1), r.location) }
        if let n = o["maxConcurrency"] { maxConcurrency = try n.int("'maxConcurrency'", min: 1) }
        if let d = o["delay"] {
          delayMs = try d.double("'delay'")
          if delayMs ?? 0 < 0 { throw d.error("'delay' must be ≥ 0 (milliseconds)") }
        }
      }
    }
    if let t = m["assertionTemplates"] {
      SuiteLoader.collect(&problems) {
        for entry in try t.mapping("'assertionTemplates'").entries {
          context.assertionTemplates[entry.key] = entry.value
        }
      }
    }
    var defaultTest: TestSpec?
    if let d = m["defaultTest"] {
      SuiteLoader.collect(&problems) { defaultTest = try self.defaultTest(d, context: &context) }
    }
    var tests: [TestSpec] = []
    if let t = m["tests"] {
      if case .mapping = t.node {
        problems.append(
          t.error("'tests' must be a list of tests or a 'file://' path, found a mapping; start each test with '- '"))
      } else {
        for item in t.listOrSingle() {
          SuiteLoader.collect(&problems) { tests += try testsEntry(item, context: &context) }
        }
      }
    }
    if let s = m["scenarios"] {
      SuiteLoader.collect(&problems) { tests += try scenarios(s, context: &context) }
    }
    if m["tests"] == nil, m["scenarios"] == nil { tests = [TestSpec(location: root.location)] }
    problems += SuiteLoader.checkFilters(tests: tests, defaultTest: defaultTest, prompts: prompts, providers: providers)
    var suiteTags: [String] = []
    SuiteLoader.collect(&problems) { suiteTags = try m["tags"].map(tagList) ?? [] }
    if !suiteTags.isEmpty {
      tests = tests.map { t in
        var t = t
        t.tags = Array(Set(t.tags + suiteTags)).sorted()
        return t
      }
    }
    var description: String?
    SuiteLoader.collect(&problems) { description = try m["description"]?.string("'description'") }
    var outputPaths: [String] = []
    if let o = m["outputPath"] {
      SuiteLoader.collect(&problems) {
        for item in o.listOrSingle() {
          let path = try item.string("'outputPath'")
          let ext = (path as NSString).pathExtension.lowercased()
          guard SuiteLoader.outputExtensions.contains(ext) else {
            throw item.error(
              "'outputPath' '\(path)': evalgate writes \(SuiteLoader.outputExtensions.map { "." + $0 }.joined(separator: ", "))"
                + " files")
          }
          outputPaths.append(FileSource.resolve(path, relativeTo: root.file))
        }
      }
    }
    var derivedMetrics: [DerivedMetric] = []
    if let d = m["derivedMetrics"] {
      SuiteLoader.collect(&problems) { derivedMetrics = try SuiteLoader.derivedMetrics(d) }
    }
    var verdictMetrics: [String: VerdictPolicy.MetricOverride] = [:]
    var requiredEnvironment: [String] = []
    SuiteLoader.collect(&problems) {
      if let v = m["verdict"] {
        let gate = try v.mapping("'verdict'")
        try gate.check(allowed: ["metrics"])
        verdictMetrics = try gate["metrics"].map(ProjectConfigLoader.metricOverrides) ?? [:]
      }
      if let r = m["requires"] {
        let requires = try r.mapping("'requires'")
        try requires.check(allowed: ["env"])
        requiredEnvironment =
          try requires["env"]?.listOrSingle().map { try $0.string("an environment variable") } ?? []
      }
    }
    if !problems.isEmpty || !missing.isEmpty {
      // In file order, as a compiler reports them.
      let sorted = problems.enumerated().sorted { a, b in
        let (la, lb) = (a.element.location, b.element.location)
        if la?.file == lb?.file, let la, let lb, la.line != lb.line || la.column != lb.column {
          return (la.line, la.column) < (lb.line, lb.column)
        }
        return a.offset < b.offset
      }
      let all = sorted.map(\.element) + missing
      if all.count == 1 { throw all[0] }
      throw DiagnosticList(all)
    }
    var suite = Suite(
      id: id, file: file, description: description, prompts: prompts, providers: providers, tests: tests,
      defaultTest: defaultTest, repeatCount: repeatCount)
    suite.repeatLocation = repeatLocation
    suite.verdictMetrics = verdictMetrics
    suite.requiredEnvironment = requiredEnvironment
    suite.warnings = context.warnings
    suite.derivedMetrics = derivedMetrics
    suite.outputPaths = outputPaths
    suite.maxConcurrency = maxConcurrency
    suite.delayMs = delayMs.flatMap { $0 > 0 ? $0 : nil }
    return suite
  }

  /// Test-level `prompts:`/`providers:` and provider-level `prompts:` must name a prompt or provider of the
  /// suite (by label or id).
  static func checkFilters(
    tests: [TestSpec], defaultTest: TestSpec?, prompts: [PromptTemplate], providers: [ProviderSpec]
  ) -> [Diagnostic] {
    var problems: [Diagnostic] = []
    let promptNames = prompts.flatMap { [$0.label] + ($0.id.map { [$0] } ?? []) }
    let providerNames = providers.flatMap { [$0.label, $0.id] }
    func check(_ names: [String]?, among known: [String], what: String, at location: SourceLocation) {
      for name in names ?? [] where !known.contains(where: { TestSpec.filter([name], matches: $0, id: nil) }) {
        problems.append(
          Diagnostic(
            "no \(what) is labelled '\(name)'" + Suggestion.didYouMean(name, in: known), at: location))
      }
    }
    for test in tests + (defaultTest.map { [$0] } ?? []) {
      check(test.promptFilter, among: promptNames, what: "prompt", at: test.location)
      check(test.providerFilter, among: providerNames, what: "provider", at: test.location)
    }
    for provider in providers {
      check(provider.prompts, among: promptNames, what: "prompt", at: provider.location)
    }
    return problems
  }

  // MARK: providers

  func providerReference(_ node: YAMLNode) throws -> ProviderSpec {
    if case .scalar = node.node {
      let name = try node.string("a provider")
      if let named = project.providers[name] { return named }
    }
    return try SuiteLoader.providerSpec(node, named: nil)
  }

  /// One `providers:` entry: a name from evalgate.yaml, an id, a mapping, or `file://` to a YAML or JSON
  /// file holding one provider or a list of them (as promptfoo). Config values `tools`, `functions` and
  /// `response_format` given as `file://` are read from their (YAML or JSON) file.
  func providerReferences(_ node: YAMLNode, context: inout Context) throws -> [ProviderSpec] {
    if case .scalar = node.node, let text = try? node.string("a provider"), FileSource.isReference(text) {
      let ext = (text as NSString).pathExtension.lowercased()
      if ["yaml", "yml", "json"].contains(ext) {
        let path = try include(text, at: node, context: &context)
        guard let root = try YAMLNode.parse(try FileSource.text(path, requestedAt: node.location), file: path) else {
          throw node.error("provider file '\((path as NSString).lastPathComponent)' is empty")
        }
        var inner = Context(file: path)
        defer { context.includes += inner.includes }
        return try root.listOrSingle().flatMap { try providerReferences($0, context: &inner) }
      }
    }
    var spec = try providerReference(node)
    for key in ["tools", "functions", "response_format"] {
      guard let reference = spec.config[key]?.stringValue, FileSource.isReference(reference) else { continue }
      let path = try include(reference, at: node, context: &context)
      let text = try FileSource.text(path, requestedAt: spec.location)
      guard let root = try YAMLNode.parse(text, file: path) else {
        throw Diagnostic("'\(key)' file '\((path as NSString).lastPathComponent)' is empty", at: spec.location)
      }
      spec.config[key] = try root.json()
    }
    return [spec]
  }

  /// Parses a provider entry: an id string, or `{id, label, config, prompts}`; promptfoo's vendor ids map
  /// onto evalgate's providers (``PromptfooVendors``).
  static func providerSpec(_ node: YAMLNode, named: String?) throws -> ProviderSpec {
    var spec: ProviderSpec
    var explicitLabel = false
    switch node.node {
    case .scalar:
      spec = ProviderSpec(id: try node.string("a provider"), location: node.location)
    case .mapping:
      let m = try node.mapping("a provider")
      try m.check(allowed: providerKeys)
      guard let id = m["id"] else {
        throw node.error("a provider needs an 'id' (for example 'openai:chat:gpt-4o-mini')")
      }
      let label = try m["label"]?.string("'label'")
      explicitLabel = label != nil
      spec = ProviderSpec(
        id: try id.string("'id'"), label: label, config: try m["config"]?.stringMap("'config'") ?? [:],
        location: node.location)
      if let p = m["prompts"] { spec.prompts = try p.listOrSingle().map { try $0.string("a prompt label") } }
    default:
      throw node.error("a provider must be an id string or a mapping with 'id', found \(node.kindName)")
    }
    spec = try PromptfooVendors.map(spec, explicitLabel: explicitLabel)
    try ProviderCatalog.validate(spec)
    return spec
  }

  // MARK: tests

  func testsEntry(_ node: YAMLNode, context: inout Context) throws -> [TestSpec] {
    if case .scalar = node.node {
      let reference = try node.string("a test")
      guard FileSource.isReference(reference) else {
        throw node.error("a test must be a mapping or a 'file://' reference, found a string")
      }
      let name = ((reference as NSString).lastPathComponent.split(separator: ":").first).map(String.init) ?? reference
      if SuiteLoader.codeExtensions.contains((name as NSString).pathExtension.lowercased()) {
        throw node.error("tests generated by '\(name)' run code, which evalgate does not run yet")
      }
      let pattern = try include(reference, at: node, context: &context)
      let paths = FileGlob.isPattern(pattern) ? FileGlob.expand(pattern) : [pattern]
      if paths.isEmpty { throw node.error("no file matches '\(reference)'") }
      var out: [TestSpec] = []
      for path in paths {
        if path != pattern {
          _ = try include(
            "file://" + URL(fileURLWithPath: path).standardizedFileURL.path, at: node, context: &context)
        }
        out += try TestFileReader.read(path: path, requestedAt: node.location) { item in
          var inner = context.included(path)
          defer { context.includes += inner.includes }
          return try test(item, what: "a test", context: &inner)
        } assertion: {
          try assertion($0)
        }
      }
      return out
    }
    return [try test(node, what: "a test", context: &context)]
  }

  func test(_ node: YAMLNode, what: String, context: inout Context) throws -> TestSpec {
    let m = try node.mapping(what)
    var problems: [Diagnostic] = []
    for entry in m.entries {
      if let why = PromptfooKeys.refusedTestKeys[entry.key] { problems.append(entry.keyNode.error(why)) }
    }
    try m.check(allowed: SuiteLoader.testKeys + PromptfooKeys.refusedTestKeys.keys)
    var spec = TestSpec(location: node.location)
    if let p = m["prompts"] { spec.promptFilter = try p.listOrSingle().map { try $0.string("a prompt label") } }
    if let p = m["providers"] { spec.providerFilter = try p.listOrSingle().map { try $0.string("a provider label") } }
    spec.id = try m["id"]?.string("'id'")
    spec.description = try m["description"]?.string("'description'")
    if let v = m["vars"] { SuiteLoader.collect(&problems) { spec.vars = try vars(v, context: &context) } }
    if let a = m["assert"] {
      for item in try a.sequence("'assert'") {
        SuiteLoader.collect(&problems) { spec.assertions.append(try assertion(try template(item, context: context))) }
      }
    }
    if let t = m["threshold"] { spec.threshold = try t.double("'threshold'") }
    // promptfoo's `providerOutput`: this output is scored instead of calling the provider.
    if let o = m["providerOutput"] {
      let value = try o.json()
      spec.providerOutput = value.stringValue ?? value.canonicalJSON
    }
    if let md = m["metadata"] { spec.metadata = try md.stringMap("'metadata'") }
    if let t = m["tags"] { spec.tags = try tagList(t) }
    if let r = m["repeat"] { spec.repeatCount = try r.int("'repeat'", min: 1) }
    if let o = m["options"] {
      let options = try o.mapping("'options'")
      for entry in options.entries {
        if let why = PromptfooKeys.refusedTestOptions[entry.key] { problems.append(entry.keyNode.error(why)) }
      }
      try options.check(
        allowed: ["provider", "transform", "storeOutputAs", "prefix", "suffix", "rubricPrompt"]
          + PromptfooKeys.refusedTestOptions.keys)
      if let r = options["rubricPrompt"] { spec.rubricPrompt = try r.json() }
      if let s = options["storeOutputAs"] { spec.storeOutputAs = try s.string("'storeOutputAs'") }
      if let s = options["prefix"] { spec.promptPrefix = try s.string("'prefix'") }
      if let s = options["suffix"] { spec.promptSuffix = try s.string("'suffix'") }
      if let p = options["provider"] { SuiteLoader.collect(&problems) { spec.judge = try gradingProvider(p) } }
      if let t = options["transform"] { SuiteLoader.collect(&problems) { spec.transform = try transform(t) } }
    }
    // `must_pass: true` is the tag the verdict reads (see CaseRecord.mustPass).
    if let flag = m["must_pass"], try flag.bool("'must_pass'"), !spec.tags.contains(CaseRecord.mustPassTag) {
      spec.tags = (spec.tags + [CaseRecord.mustPassTag]).sorted()
    }
    if problems.count == 1 { throw problems[0] }
    if !problems.isEmpty { throw DiagnosticList(problems) }
    return spec
  }

  func tagList(_ node: YAMLNode) throws -> [String] {
    if case .mapping = node.node {
      return try node.stringMap("'tags'").map { "\($0.key)=\($0.value.plainText)" }.sorted()
    }
    return try node.listOrSingle().map { try $0.string("a tag") }
  }

  func vars(_ node: YAMLNode, context: inout Context) throws -> [String: JSONValue] {
    if case .scalar = node.node {
      let reference = try node.string("'vars'")
      guard FileSource.isReference(reference) else {
        throw node.error("'vars' must be a mapping or a 'file://' reference")
      }
      let path = try include(reference, at: node, context: &context)
      let text = try FileSource.text(path, requestedAt: node.location)
      guard let root = try YAMLNode.parse(text, file: path) else { return [:] }
      return try vars(root, context: &context)
    }
    let m = try node.mapping("'vars'")
    var out: [String: JSONValue] = [:]
    for entry in m.entries {
      out[entry.key] = try varValue(try entry.value.json(), at: entry.value, context: &context)
    }
    return out
  }

  func assertion(_ node: YAMLNode) throws -> AssertionSpec {
    let m = try node.mapping("an assertion")
    guard let typeNode = m["type"] else { throw node.error("an assertion needs a 'type'") }
    var type = try typeNode.string("'type'")
    var negated = false
    if type.hasPrefix("not-") {
      negated = true
      type.removeFirst(4)
    }
    let registry = AssertionRegistry.standard
    if !registry.knows(type), let why = PromptfooKeys.refusal(forAssertionType: type) {
      throw typeNode.error(why)
    }
    for entry in m.entries {
      if let why = PromptfooKeys.refusedAssertKeys[entry.key] { throw entry.keyNode.error(why) }
    }
    try m.check(allowed: SuiteLoader.assertKeys)
    guard registry.knows(type) else {
      let shown = negated ? "not-" + type : type
      throw typeNode.error("unknown assertion type '\(shown)'" + Suggestion.didYouMean(type, in: registry.knownTypes))
    }
    var spec = AssertionSpec(type: type, negated: negated, location: node.location)
    if let p = m["provider"] { spec.judge = try providerReference(p) }
    // promptfoo's default moderation provider: OpenAI's moderation endpoint.
    if type == "moderation", spec.judge == nil {
      spec.judge = ProviderSpec(id: "openai:moderation:omni-moderation-latest", location: node.location)
    }
    if let n = m["judgeRepeats"] { spec.judgeRepeats = try n.int("'judgeRepeats'", min: 1) }
    if let a = m["judgeAggregate"] {
      let text = try a.string("'judgeAggregate'")
      guard ["majority", "mean"].contains(text) else {
        throw a.error("'judgeAggregate' must be 'majority' or 'mean', found '\(text)'")
      }
      spec.judgeAggregate = text
    }
    if let v = m["value"] {
      spec.value = try v.json()
      if SuiteLoader.codeTypes.contains(type), case .string(let text)? = spec.value {
        spec.value = .string(try codeReference(text, at: v))
      }
    }
    if let c = m["config"] {
      guard SuiteLoader.codeTypes.contains(type) || SuiteLoader.configuredTypes.contains(type) else {
        throw c.error("only 'javascript', 'python' and 'conversation-relevance' assertions take a 'config'")
      }
      spec.config = try c.json()
    }
    if let r = m["rubricPrompt"] {
      guard type == "llm-rubric" else { throw r.error("evalgate reads 'rubricPrompt' on 'llm-rubric' assertions only") }
      spec.rubricPrompt = try r.json()
    }
    if let t = m["threshold"] { spec.threshold = try t.double("'threshold'") }
    if let w = m["weight"] {
      spec.weight = try w.double("'weight'")
      guard spec.weight >= 0 else { throw w.error("'weight' must be ≥ 0") }
    }
    if let metric = m["metric"] { spec.metric = try metric.string("'metric'") }
    if let children = m["assert"] {
      guard type == AssertionRegistry.setType else { throw children.error("only 'assert-set' takes a nested 'assert'") }
      spec.children = try children.sequence("'assert'").map(assertion)
    }
    if type == AssertionRegistry.setType, spec.children.isEmpty {
      throw node.error("'assert-set' needs a non-empty 'assert' list")
    }
    // promptfoo's `g-eval` with a list of criteria: each judged alone, passing on their mean score.
    if type == "g-eval", !negated, case .array(let criteria)? = spec.value, !criteria.isEmpty {
      var set = spec
      set.type = AssertionRegistry.setType
      set.value = nil
      set.threshold = spec.threshold ?? 0.7
      set.children = criteria.map { c in
        var child = spec
        child.value = c
        child.weight = 1
        child.metric = nil
        return child
      }
      return set
    }
    return spec
  }
}
