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
    "evaluateOptions", "verdict", "requires",
  ]
  static let testKeys = [
    "id", "description", "vars", "assert", "threshold", "metadata", "tags", "repeat", "must_pass", "options",
  ]
  static let assertKeys = [
    "type", "value", "threshold", "weight", "metric", "assert", "provider", "judgeRepeats", "judgeAggregate",
    "config",
  ]
  static let providerKeys = ["id", "label", "config"]
  static let promptKeys = ["id", "label", "raw", "messages"]

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
  }

  func parseSuite(_ root: YAMLNode, context: inout Context) throws -> Suite {
    let m = try root.mapping("a suite")
    try m.check(allowed: SuiteLoader.suiteKeys)
    if m.has("providers"), m.has("targets") {
      throw (m.entries.first { $0.key == "targets" }?.keyNode ?? root).error(
        "use either 'providers' or 'targets', not both")
    }
    let file = root.file
    let id = try m["id"]?.string("'id'") ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    guard let promptsNode = m["prompts"] else { throw root.error("suite has no 'prompts'") }
    let prompts = try promptsNode.listOrSingle().flatMap { try prompt($0, context: &context) }
    guard !prompts.isEmpty else { throw promptsNode.error("'prompts' is empty") }

    var providers: [ProviderSpec]
    if let p = m["providers"] ?? m["targets"] {
      providers = try p.listOrSingle().map { try providerReference($0) }
    } else {
      providers = project.defaultProviders.compactMap { project.providers[$0] }
    }
    guard !providers.isEmpty else {
      throw root.error("suite has no 'providers' (and evalgate.yaml sets no 'defaultProviders')")
    }
    var labels: Set<String> = []
    for p in providers where !labels.insert(p.label).inserted {
      throw Diagnostic("two providers share the label '\(p.label)'; give one a distinct 'label'", at: p.location)
    }

    var repeatCount = 1
    var repeatLocation: SourceLocation?
    if let r = m["repeat"] { (repeatCount, repeatLocation) = (try r.int("'repeat'", min: 1), r.location) }
    if let options = m["evaluateOptions"] {
      let o = try options.mapping("'evaluateOptions'")
      try o.check(allowed: ["repeat", "maxConcurrency", "showProgressBar", "cache", "delay", "timeoutMs"])
      if let r = o["repeat"] { (repeatCount, repeatLocation) = (try r.int("'repeat'", min: 1), r.location) }
    }
    let defaultTest = try m["defaultTest"].map { try test($0, what: "'defaultTest'", context: &context) }
    var tests: [TestSpec] = []
    if let t = m["tests"] {
      if case .mapping = t.node {
        throw t.error("'tests' must be a list of tests or a 'file://' path, found a mapping; start each test with '- '")
      }
      for item in t.listOrSingle() { tests += try testsEntry(item, context: &context) }
    } else {
      tests = [TestSpec(location: root.location)]
    }
    let suiteTags = try m["tags"].map(tagList) ?? []
    if !suiteTags.isEmpty {
      tests = tests.map { t in
        var t = t
        t.tags = Array(Set(t.tags + suiteTags)).sorted()
        return t
      }
    }
    var suite = Suite(
      id: id, file: file, description: try m["description"]?.string("'description'"), prompts: prompts,
      providers: providers, tests: tests, defaultTest: defaultTest, repeatCount: repeatCount)
    suite.repeatLocation = repeatLocation
    if let v = m["verdict"] {
      let gate = try v.mapping("'verdict'")
      try gate.check(allowed: ["metrics"])
      suite.verdictMetrics = try gate["metrics"].map(ProjectConfigLoader.metricOverrides) ?? [:]
    }
    if let r = m["requires"] {
      let requires = try r.mapping("'requires'")
      try requires.check(allowed: ["env"])
      suite.requiredEnvironment =
        try requires["env"]?.listOrSingle().map { try $0.string("an environment variable") } ?? []
    }
    return suite
  }

  // MARK: prompts

  func prompt(_ node: YAMLNode, context: inout Context) throws -> [PromptTemplate] {
    switch node.node {
    case .scalar:
      guard node.tagName == .str else {
        throw node.error("a prompt must be text or a 'file://' path, found \(node.kindName)")
      }
      let text = try node.string("a prompt")
      if FileSource.isReference(text) { return try promptFile(text, at: node, context: &context) }
      return [PromptTemplate(body: .text(text), location: node.location)]
    case .mapping:
      let m = try node.mapping("a prompt")
      try m.check(allowed: SuiteLoader.promptKeys)
      let id = try m["id"]?.string("'id'")
      let label = try m["label"]?.string("'label'")
      if let raw = m["raw"] {
        guard m["messages"] == nil else { throw raw.error("a prompt has either 'raw' or 'messages', not both") }
        let text = try raw.string("'raw'")
        if FileSource.isReference(text) {
          return try promptFile(text, at: raw, context: &context).map { p in
            PromptTemplate(id: id, label: label ?? p.label, body: p.body, location: p.location)
          }
        }
        return [PromptTemplate(id: id, label: label, body: .text(text), location: node.location)]
      }
      guard let messages = m["messages"] else { throw node.error("a prompt mapping needs 'raw' or 'messages'") }
      return [PromptTemplate(id: id, label: label, body: .messages(try chat(messages)), location: node.location)]
    case .sequence:
      return [PromptTemplate(body: .messages(try chat(node)), location: node.location)]
    case .alias:
      throw node.error("YAML aliases are not supported here")
    }
  }

  func chat(_ node: YAMLNode) throws -> [MessageTemplate] {
    let items = try node.sequence("'messages'")
    guard !items.isEmpty else { throw node.error("'messages' is empty") }
    return try items.map { item in
      let m = try item.mapping("a message")
      try m.check(allowed: ["role", "content"])
      guard let role = m["role"] else { throw item.error("a message needs a 'role'") }
      let roleName = try role.string("'role'")
      let roles = ["system", "user", "assistant", "tool", "developer"]
      guard roles.contains(roleName) else {
        throw role.error("unknown role '\(roleName)'" + Suggestion.didYouMean(roleName, in: roles))
      }
      guard let content = m["content"] else { throw item.error("a message needs 'content'") }
      return MessageTemplate(role: roleName, content: try content.string("'content'"))
    }
  }

  func promptFile(_ reference: String, at node: YAMLNode, context: inout Context) throws -> [PromptTemplate] {
    try refuseCodePrompt(reference, at: node)
    let path = try include(reference, at: node, context: &context)
    let text = try FileSource.text(path, requestedAt: node.location)
    let name = (path as NSString).lastPathComponent
    let ext = (path as NSString).pathExtension.lowercased()
    switch ext {
    case "yaml", "yml", "json":
      guard let root = try YAMLNode.parse(text, file: path) else { throw node.error("prompt file '\(name)' is empty") }
      return [PromptTemplate(label: name, body: .messages(try chat(root)), location: root.location)]
    default:
      // As promptfoo: a text file holds one prompt, or several separated by lines of `---`.
      var prompts: [PromptTemplate] = []
      var current: [Substring] = []
      var startLine = 1
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      for (i, line) in lines.enumerated() {
        if line.trimmingCharacters(in: .whitespaces) == "---" {
          prompts.append(
            PromptTemplate(
              label: name, body: .text(current.joined(separator: "\n")),
              location: SourceLocation(file: path, line: startLine)))
          current = []
          startLine = i + 2
        } else {
          current.append(line)
        }
      }
      let last = current.joined(separator: "\n").trimmingCharacters(in: .newlines)
      if !last.isEmpty || prompts.isEmpty {
        prompts.append(
          PromptTemplate(label: name, body: .text(last), location: SourceLocation(file: path, line: startLine)))
      }
      if prompts.count > 1 {
        prompts = prompts.enumerated().map { i, p in
          PromptTemplate(label: "\(name)#\(i + 1)", body: p.body, location: p.location)
        }
      }
      return prompts
    }
  }

  // MARK: providers

  func providerReference(_ node: YAMLNode) throws -> ProviderSpec {
    if case .scalar = node.node {
      let name = try node.string("a provider")
      if let named = project.providers[name] { return named }
    }
    return try SuiteLoader.providerSpec(node, named: nil)
  }

  /// Parses a provider entry: an id string, or `{id, label, config}`.
  static func providerSpec(_ node: YAMLNode, named: String?) throws -> ProviderSpec {
    let spec: ProviderSpec
    switch node.node {
    case .scalar:
      spec = ProviderSpec(id: try node.string("a provider"), location: node.location)
    case .mapping:
      let m = try node.mapping("a provider")
      try m.check(allowed: providerKeys)
      guard let id = m["id"] else {
        throw node.error("a provider needs an 'id' (for example 'openai:chat:gpt-4o-mini')")
      }
      spec = ProviderSpec(
        id: try id.string("'id'"), label: try m["label"]?.string("'label'"),
        config: try m["config"]?.stringMap("'config'") ?? [:], location: node.location)
    default:
      throw node.error("a provider must be an id string or a mapping with 'id', found \(node.kindName)")
    }
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
      let path = try include(reference, at: node, context: &context)
      return try TestFileReader.read(path: path, requestedAt: node.location) { item in
        var inner = Context(file: path)
        return try test(item, what: "a test", context: &inner)
      } assertion: {
        try assertion($0)
      }
    }
    return [try test(node, what: "a test", context: &context)]
  }

  func test(_ node: YAMLNode, what: String, context: inout Context) throws -> TestSpec {
    let m = try node.mapping(what)
    try m.check(allowed: SuiteLoader.testKeys)
    var spec = TestSpec(location: node.location)
    spec.id = try m["id"]?.string("'id'")
    spec.description = try m["description"]?.string("'description'")
    if let v = m["vars"] { spec.vars = try vars(v, context: &context) }
    if let a = m["assert"] { spec.assertions = try a.sequence("'assert'").map(assertion) }
    if let t = m["threshold"] { spec.threshold = try t.double("'threshold'") }
    if let md = m["metadata"] { spec.metadata = try md.stringMap("'metadata'") }
    if let t = m["tags"] { spec.tags = try tagList(t) }
    if let r = m["repeat"] { spec.repeatCount = try r.int("'repeat'", min: 1) }
    if let o = m["options"] {
      let options = try o.mapping("'options'")
      try options.check(allowed: ["provider", "transform"])
      if let p = options["provider"] { spec.judge = try providerReference(p) }
      if let t = options["transform"] { spec.transform = try transform(t) }
    }
    // `must_pass: true` is the tag the verdict reads (see CaseRecord.mustPass).
    if let flag = m["must_pass"], try flag.bool("'must_pass'"), !spec.tags.contains(CaseRecord.mustPassTag) {
      spec.tags = (spec.tags + [CaseRecord.mustPassTag]).sorted()
    }
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
    var out = try node.stringMap("'vars'")
    for (key, value) in out {
      if case .string(let s) = value, FileSource.isReference(s) {
        let path = try include(s, at: node, context: &context)
        out[key] = .string(try FileSource.text(path, requestedAt: node.location))
      }
    }
    return out
  }

  func assertion(_ node: YAMLNode) throws -> AssertionSpec {
    let m = try node.mapping("an assertion")
    try m.check(allowed: SuiteLoader.assertKeys)
    guard let typeNode = m["type"] else { throw node.error("an assertion needs a 'type'") }
    var type = try typeNode.string("'type'")
    var negated = false
    if type.hasPrefix("not-") {
      negated = true
      type.removeFirst(4)
    }
    let registry = AssertionRegistry.standard
    guard registry.knows(type) else {
      let shown = negated ? "not-" + type : type
      throw typeNode.error("unknown assertion type '\(shown)'" + Suggestion.didYouMean(type, in: registry.knownTypes))
    }
    var spec = AssertionSpec(type: type, negated: negated, location: node.location)
    if let p = m["provider"] { spec.judge = try providerReference(p) }
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
      guard SuiteLoader.codeTypes.contains(type) else {
        throw c.error("only 'javascript' and 'python' assertions take a 'config'")
      }
      spec.config = try c.json()
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
    return spec
  }
}
