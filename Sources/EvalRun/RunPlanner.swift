import EvalCore
import EvalLoading
import EvalReports
import Foundation

/// Everything before the first call of a run, `list`, `validate` or `canary`: loads evalgate.yaml and the
/// suites (parsed once), applies `requires: env:`, `--provider` and the default grader, sizes and expands
/// the cases lazily, filters and shards them, and resolves the gate, retries, prices, throttles and
/// output settings. Every problem is a located diagnostic.
public struct RunPlanner {
  /// The run's resolved flags.
  public let plan: RunPlan
  /// The environment (`requires: env:`, templates, grader defaults).
  public let environment: [String: String]
  /// Told as each phase of loading ends (for `EVALGATE_TIMINGS`).
  public var phase: (String) -> Void

  /// A planner for `plan` in `environment`; `phase` hears the end of each loading phase.
  public init(plan: RunPlan, environment: [String: String], phase: @escaping (String) -> Void = { _ in }) {
    self.plan = plan
    self.environment = environment
    self.phase = phase
  }

  /// A run, ready to make its cases: what `prepare()` resolved.
  public struct Prepared {
    /// The suites that run (after `requires: env:`, `--provider`, filters and the shard).
    public var suites: [Suite]
    /// Pacing per network provider, by provider key.
    public var throttles: [String: Throttle]
    /// How failed calls are retried.
    public var retry: RetryPolicy
    /// Prices per provider key, for cost.
    public var prices: [String: Price]
    /// Calls in flight at once.
    public var concurrency: Int
    /// Per-call timeout.
    public var timeout: Duration
    /// Where reports go.
    public var outputDir: String
    /// The gate the run is judged by.
    public var gate: Gate
    /// The JUnit shape.
    public var junitProfile: JUnitReport.Profile
    /// The verdict's policy, with the suites' own gates.
    public var verdict: VerdictPolicy
    /// Retrieval fixtures found among the suite files.
    public var fixtures: [RetrievalFixtureLoader.Loaded]
    /// The providers named in evalgate.yaml.
    public var namedProviders: [String: ProviderSpec]
    /// Why suites were left out (`requires: env:` unset).
    public var skipped: [String] = []
    /// What a pass over the kept cases found: counts, code uses, prompt functions.
    public var survey = CasePlan.Survey()
  }

  /// Loads config and suites and expands cases; every problem is a located diagnostic.
  public func prepare() throws -> (Prepared, CasePlan) { try prepare(seeing: nil) }

  /// Loads config and suites and expands cases, as ``prepare()`` does; `visit` sees each kept case, in report
  /// order, as the survey makes it (before the survey's problems are known: a caller that must say nothing when
  /// loading fails keeps what it saw until this returns). `list` makes each case once this way instead of
  /// surveying and then iterating the plan.
  public func prepare(visiting visit: (EvalCase) -> Void) throws -> (Prepared, CasePlan) {
    try withoutActuallyEscaping(visit) { try prepare(seeing: $0) }
  }

  private func prepare(seeing visit: ((EvalCase) -> Void)?) throws -> (Prepared, CasePlan) {
    phase("arguments parsed")
    let project = try ProjectConfigLoader.load(path: plan.config)
    phase("project config loaded")
    var paths = plan.paths.isEmpty ? project.suites : plan.paths
    // Where a promptfoo user starts: `evalgate run` beside promptfooconfig.yaml, with no evalgate.yaml.
    if plan.paths.isEmpty, plan.config == nil,
      !FileManager.default.fileExists(atPath: ProjectConfigLoader.defaultFile),
      let promptfoo = ["promptfooconfig.yaml", "promptfooconfig.yml"].first(where: {
        FileManager.default.fileExists(atPath: $0)
      })
    {
      paths = [promptfoo]
    }
    let files = try SuiteDiscovery.files(in: paths)
    guard !files.isEmpty else {
      throw Diagnostic("no suite files found in \(paths.map { "'\($0)'" }.joined(separator: ", "))")
    }
    var loader = SuiteLoader(project: project)
    let loadTimeCode = LoadTimeCode(environment: environment)
    defer { loadTimeCode.shutdown() }
    loader.loadTimeCode = { loadTimeCode.call($0) }
    var loaded: [SuiteLoader.Loaded] = []
    var fixtures: [RetrievalFixtureLoader.Loaded] = []
    var problems: [Diagnostic] = []
    for file in files {
      do {
        switch try SuiteFile.load(file, suites: loader, project: project) {
        case .suite(let suite): loaded.append(suite)
        case .fixture(let fixture): fixtures.append(fixture)
        }
      } catch let d as Diagnostic {
        problems.append(d)
      } catch let list as DiagnosticList {
        problems += list.diagnostics
      }
    }
    if !problems.isEmpty { throw DiagnosticList(problems) }
    // A file another suite includes is data, not a suite.
    let included = Set(loaded.flatMap(\.includes).map { ($0 as NSString).standardizingPath })
    var suites = loaded.map(\.suite).filter { !included.contains(($0.file as NSString).standardizingPath) }
    let skipped = try skipSuitesMissingEnvironment(&suites)
    if !plan.providers.isEmpty {
      let replacement = try plan.providers.map { try RunPlanner.provider(named: $0, in: project) }
      suites = suites.map { suite in
        var suite = suite
        suite.providers = replacement
        return suite
      }
    }
    // promptfoo's default grader where an assertion names none, said once.
    var graderNotes: [String] = []
    suites = suites.map { suite in
      let (graded, note) = DefaultGrader.apply(to: suite, environment: environment)
      if let note, !graderNotes.contains(note) { graderNotes.append(note) }
      return graded
    }
    if !suites.isEmpty { suites[0].warnings += graderNotes }
    var ids: [String: String] = [:]
    for suite in suites {
      if let other = ids[suite.id] {
        throw Diagnostic(
          "suite id '\(suite.id)' is used by '\(other)' too; set a distinct 'id' in one of them",
          at: SourceLocation(file: suite.file, line: 1, column: 1))
      }
      ids[suite.id] = suite.file
    }
    phase("suites loaded")
    let expansion = Expansion(
      renderer: TemplateRenderer(environment: environment), repeatOverride: plan.repeatCount)
    // Sized before anything is built: a suite past the limit is a located error, not an allocation.
    let limit = plan.maxCases ?? project.maxCases
    var total = 0
    for suite in suites {
      do { try expansion.checkSize(of: suite, limit: limit) } catch let d as Diagnostic { problems.append(d) }
      let size = expansion.size(of: suite)
      total = Expansion.Size.sum(total, size.samples)
    }
    if problems.isEmpty, total > limit {
      problems.append(
        Diagnostic(
          "the suites expand to \(total == .max ? "more than 9.2·10¹⁸" : String(total)) samples together, over the "
            + "limit of \(limit) (maxCases in evalgate.yaml, or --max-cases)"))
    }
    if !problems.isEmpty { throw DiagnosticList(problems) }
    var expanded: [SuiteCases] = []
    for suite in suites {
      var suiteExpansion = expansion
      if !suite.nunjucksFilters.isEmpty {
        // promptfoo's `nunjucksFilters`: each a function in the load-time workers, `(value, ...arguments)`.
        suiteExpansion.renderer.customFilters = loadTimeCode.filters(suite.nunjucksFilters)
      }
      do { expanded.append(try SuiteCases(suite, expansion: suiteExpansion)) } catch let list as DiagnosticList {
        problems += list.diagnostics
      }
    }
    // Filters and a shard keep some cases, and the suites that still have any; retrieval fixtures run in
    // the first shard only.
    let shard = plan.shard
    let filter = try plan.filter.predicate()
    let keep: @Sendable (EvalCase) -> Bool = { c in filter(c) && (shard?.contains(c.shardKey) ?? true) }
    // One pass over every case before anything runs: problems, counts, what must be ready. The cases
    // themselves are made again, one at a time, as the run asks for them.
    // Nothing that reads a case's id or title (a filter, a shard, a caller that sees each case): each is
    // surveyed without them.
    let survey =
      visit == nil && plan.filter.isEmpty && shard == nil
      ? CasePlan.surveyAll(expanded) : CasePlan.survey(expanded, keep: keep, visit: visit ?? { _ in })
    problems += survey.problems
    if !problems.isEmpty { throw DiagnosticList(problems) }
    var cases = CasePlan(expanded, keep: keep)
    // Cases of suites with `nunjucksFilters` render through the load-time workers, which stop when
    // loading ends: they are listed now.
    if suites.contains(where: { !$0.nunjucksFilters.isEmpty }) { cases.materialize() }
    var shardSuites = suites
    if !plan.filter.isEmpty || shard != nil {
      shardSuites = suites.filter { survey.suiteIDs.contains($0.id) }
      if let shard, shard.index != 1 { fixtures = [] }
    }
    var gate = project.gate
    if let rate = plan.minPassRate { gate.minPassRate = rate }
    var retry = project.retry
    if let n = plan.maxRetries { retry.maxRetries = n }
    let table = PriceTable.listPrices.merging(project.prices)
    var prices: [String: Price] = [:]
    for suite in suites {
      for spec in suite.callProviders { prices[spec.key] = try ProviderCatalog.price(for: spec, table: table) }
    }
    let concurrency = plan.concurrency ?? project.concurrency
    let prepared = Prepared(
      suites: shardSuites,
      throttles: try RunPlanner.throttles(
        for: suites + RunPlanner.endpointSuites(fixtures), concurrency: concurrency),
      retry: retry,
      prices: prices, concurrency: concurrency,
      timeout: plan.timeout ?? project.timeout,
      outputDir: plan.outputDir ?? project.outputDir, gate: gate,
      junitProfile: plan.junitProfile ?? JUnitReport.Profile(rawValue: project.junitProfile) ?? .rich,
      verdict: project.verdict.adding(suiteGates: Dictionary(suites.map { ($0.id, $0.verdictMetrics) }) { a, _ in a }),
      fixtures: fixtures, namedProviders: project.providers, skipped: skipped, survey: survey)
    return (prepared, cases)
  }

  /// Leaves out the suites whose `requires: env:` variables are unset, saying why; a suite file named on
  /// the command line is an error instead, as the user asked for it by name.
  public func skipSuitesMissingEnvironment(_ suites: inout [Suite]) throws -> [String] {
    let named = Set(plan.paths.map { ($0 as NSString).standardizingPath })
    var notes: [String] = []
    for suite in suites {
      let missing = suite.missingEnvironment(in: environment)
      guard !missing.isEmpty else { continue }
      let variables = missing.joined(separator: ", ")
      if named.contains((suite.file as NSString).standardizingPath) {
        throw Diagnostic(
          "suite '\(suite.id)' requires the environment variable\(missing.count == 1 ? "" : "s") \(variables); "
            + "set \(missing.count == 1 ? "it" : "them") to run it",
          at: SourceLocation(file: suite.file, line: 1, column: 1))
      }
      notes.append(
        "suite '\(suite.id)' (\(suite.file)) skipped: it requires \(variables), "
          + (missing.count == 1 ? "which is not set" : "which are not set"))
    }
    suites.removeAll { !$0.missingEnvironment(in: environment).isEmpty }
    return notes
  }

  /// A `--provider` value: a provider named in evalgate.yaml, else a provider id such as
  /// `openai:chat:gemma-3-270m` (its base URL and key from the environment).
  public static func provider(named name: String, in project: ProjectConfig) throws -> ProviderSpec {
    if let spec = project.providers[name] { return spec }
    let spec = ProviderSpec(id: name, location: SourceLocation(file: "--provider", line: 1, column: 1))
    guard spec.providerKind != nil else {
      throw Diagnostic(
        "--provider '\(name)' is neither a provider named in evalgate.yaml nor a provider id such as "
          + "'openai:chat:<model>'\(Suggestion.didYouMean(name, in: Array(project.providers.keys)))")
    }
    try ProviderCatalog.validate(spec)
    return spec
  }

  /// Stand-in suites for the retrieval endpoints of fixtures, so their providers and throttles are built
  /// like the suites' own.
  public static func endpointSuites(_ fixtures: [RetrievalFixtureLoader.Loaded]) -> [Suite] {
    fixtures.compactMap { f in
      f.provider.map { Suite(id: f.fixture.id, file: f.fixture.file, prompts: [], providers: [$0], tests: []) }
    }
  }

  /// Pacing for every network provider: adaptive concurrency (halved on a 429) always, request and
  /// token buckets where `rateLimit` is configured.
  /// - Throws: ``Diagnostic`` for a malformed `rateLimit`.
  public static func throttles(for suites: [Suite], concurrency: Int) throws -> [String: Throttle] {
    var throttles: [String: Throttle] = [:]
    for suite in suites {
      // promptfoo's `evaluateOptions`: `maxConcurrency` caps the suite's endpoints, `delay` spaces their calls
      // (one at a time, as promptfoo runs with a delay).
      let cap = suite.delayMs != nil ? 1 : min(suite.maxConcurrency ?? concurrency, concurrency)
      for spec in suite.callProviders + suite.judges where throttles[spec.key] == nil {
        guard spec.providerKind?.descriptor.isNetwork == true else { continue }
        var limits = try ProviderCatalog.rateLimit(spec) ?? Throttle.Limits()
        if let delay = suite.delayMs {
          limits.requestsPerMinute = min(limits.requestsPerMinute ?? .infinity, 60_000 / delay)
        }
        throttles[spec.key] = Throttle(limits: limits, maxConcurrency: cap)
      }
    }
    return throttles
  }
}
