import Foundation

/// Everything a run produced: the input to every reporter (`results.json`, JUnit, summaries).
public struct RunReport: Sendable, Codable {
  /// The schema version of `results.json`; bumped on incompatible changes.
  public static let currentSchemaVersion = 1

  /// Schema version.
  public var schemaVersion: Int
  /// Tool name and version.
  public var tool: ToolInfo
  /// When the run started (UTC).
  public var startedAt: Date
  /// When it ended (UTC).
  public var finishedAt: Date
  /// True when Ctrl-C stopped it early.
  public var interrupted: Bool
  /// Settings that shaped the run.
  public var settings: Settings
  /// One entry per suite, in load order.
  public var suites: [SuiteInfo]
  /// Totals over all cases.
  public var summary: RunSummary
  /// Latency percentiles, errors and retries per provider.
  public var providers: [ProviderStats]
  /// The gate's decision.
  public var gate: Gate.Decision
  /// Every case, grouped by suite in load order.
  public var cases: CaseList
  /// The comparison with the baseline and its verdict, when the run was compared with one.
  public var verdict: Comparison?
  /// The one decision that sets the exit code (the gate's, the verdict's, or could-not-evaluate and
  /// interrupted), set once the run is compared; reports lead with it.
  public var decision: RunDecision?
  /// The retrieval fixtures evaluated, when there were any.
  public var retrieval: [RetrievalResult]?
  /// What a person should know about the run that is not a failure: an endpoint that answered as another
  /// model than the one asked for (single-model servers ignore the name), once per provider.
  public var warnings: [String]?

  /// What each grader (judge or embedding provider) answered as, by label, when any was called.
  public var graders: [ModelLedger.Entry]?

  /// Records the graders' answering models and notes, once per grader, one that answered as a model other
  /// than `requested[key]` (a single-model embedding server answers any model name).
  public mutating func flagGraderModels(_ ledger: [String: ModelLedger.Entry], requested: [String: String]) {
    guard !ledger.isEmpty else { return }
    graders = ledger.values.sorted { $0.provider < $1.provider }
    var found: [String] = []
    for (key, entry) in ledger.sorted(by: { $0.value.provider < $1.value.provider }) {
      guard let asked = requested[key],
        let answered = entry.models.first(where: { $0 != asked && !$0.hasPrefix(asked) })
      else { continue }
      found.append(
        "grader \(entry.provider) answered as model '\(answered)', not '\(asked)' as asked: check the endpoint serves "
          + "the model you mean (a single-model server answers any name)")
    }
    if !found.isEmpty { warnings = (warnings ?? []) + found }
  }

  /// Notes, once per provider, each that answered as a model other than `requested[provider]`, then each whose
  /// answers ran past the completion-token limit it was sent: `limits[provider]` is the request field
  /// (`max_tokens` or `max_completion_tokens`) and its value. A single-model server answers whatever model was
  /// asked for; an endpoint that ignores the limit generates on (llama.cpp ignores `max_completion_tokens` and
  /// stops only when its context is full), which costs time and skews length assertions. One pass over the cases.
  public mutating func flagAnswers(requested: [String: String], limits: [String: (field: String, limit: Int)]) {
    guard !requested.isEmpty || !limits.isEmpty else { return }
    var (models, tokens): ([String], [String]) = ([], [])
    var (modelSeen, tokensSeen): (Set<String>, Set<String>) = ([], [])
    for c in cases {
      if let asked = requested[c.provider], !modelSeen.contains(c.provider),
        let answered = c.attempts.lazy.compactMap(\.model).first(where: { $0 != asked && !$0.hasPrefix(asked) })
      {
        modelSeen.insert(c.provider)
        models.append(
          "\(c.provider) answered as model '\(answered)', not '\(asked)' as asked: check the endpoint serves the model you mean"
        )
      }
      if let (field, limit) = limits[c.provider], !tokensSeen.contains(c.provider),
        let n = c.attempts.lazy.compactMap({ $0.usage?.completionTokens }).first(where: { $0 > limit })
      {
        tokensSeen.insert(c.provider)
        tokens.append(
          "\(c.provider) answered with \(n) completion tokens where \(field) is \(limit): the endpoint ignores "
            + "\(field)\(field == "max_completion_tokens" ? " (llama.cpp does; send max_tokens)" : "")")
      }
    }
    if !models.isEmpty || !tokens.isEmpty { warnings = (warnings ?? []) + models + tokens }
  }

  /// Every case and retrieval query as comparison records.
  public var records: [CaseRecord] { cases.map(CaseRecord.init) + (retrieval ?? []).flatMap(\.records) }

  /// The ids of the suites and retrieval fixtures that ran.
  public var suiteIDs: Set<String> { Set(suites.map(\.id) + (retrieval ?? []).map(\.fixture)) }

  /// Adds the retrieval fixtures' results: a failed threshold fails the gate; a run of fixtures alone is
  /// judged by them.
  public mutating func add(retrieval results: [RetrievalResult]) {
    guard !results.isEmpty else { return }
    retrieval = results
    let failures = results.flatMap(\.failures)
    let gates = results.reduce(0) { $0 + $1.gates.count }
    if cases.isEmpty {
      gate.status = failures.isEmpty ? .passed : .failed
      let fixtures = "\(results.count) retrieval fixture\(results.count == 1 ? "" : "s")"
      gate.reason =
        !failures.isEmpty
        ? "retrieval: " + failures.joined(separator: "; ")
        : gates == 0
          ? "\(fixtures) evaluated, no thresholds set"
          : "\(gates) threshold\(gates == 1 ? "" : "s") met in \(fixtures)"
    } else if !failures.isEmpty, gate.status != .couldNotEvaluate {
      let prompts = gate.reason
      gate.status = .failed
      gate.reason = "retrieval: " + failures.joined(separator: "; ") + " (prompt suites: \(prompts))"
    }
  }

  /// Name and version of the tool that wrote the report.
  public struct ToolInfo: Sendable, Hashable, Codable {
    /// `evalgate`.
    public var name: String
    /// Semantic version.
    public var version: String

    /// Creates tool info.
    public init(name: String, version: String) {
      self.name = name
      self.version = version
    }
  }

  /// Run settings recorded for reproducibility.
  public struct Settings: Sendable, Hashable, Codable {
    /// Calls in flight.
    public var concurrency: Int
    /// Per-call timeout in ms.
    public var timeoutMs: Int
    /// `--repeat`, when given.
    public var repeatOverride: Int?

    /// Creates settings.
    public init(concurrency: Int, timeoutMs: Int, repeatOverride: Int? = nil) {
      self.concurrency = concurrency
      self.timeoutMs = timeoutMs
      self.repeatOverride = repeatOverride
    }
  }

  /// A suite's identity and counts.
  public struct SuiteInfo: Sendable, Hashable, Codable {
    /// Suite id.
    public var id: String
    /// Suite file.
    public var file: String
    /// Description.
    public var description: String?
    /// Counts over the suite's cases.
    public var summary: RunSummary
    /// The suite's own gate, when it sets one (so `evalgate compare` applies it to these results too).
    public var verdictMetrics: [String: VerdictPolicy.MetricOverride]?
    /// The suite's `derivedMetrics`, per prompt × provider, when it defines any.
    public var derivedMetrics: [DerivedMetric.Value]?
    /// The definitions of ``derivedMetrics`` (name and expression, in order), so merged shards compute them
    /// again over all the cases.
    public var derivedMetricDefinitions: [DerivedMetric.Definition]?

    /// Creates suite info.
    public init(
      id: String, file: String, description: String?, summary: RunSummary,
      verdictMetrics: [String: VerdictPolicy.MetricOverride]? = nil
    ) {
      self.id = id
      self.file = file
      self.description = description
      self.summary = summary
      self.verdictMetrics = verdictMetrics
    }
  }

  /// Assembles a report.
  public init(
    tool: ToolInfo, startedAt: Date, finishedAt: Date, interrupted: Bool, settings: Settings, suites: [Suite],
    cases: [CaseResult], gate: Gate
  ) {
    self.init(
      tool: tool, startedAt: startedAt, finishedAt: finishedAt, interrupted: interrupted, settings: settings,
      suites: suites, cases: CaseList(cases), gate: gate)
  }

  /// Assembles a report over a run's case list (packed when the run streamed its cases).
  public init(
    tool: ToolInfo, startedAt: Date, finishedAt: Date, interrupted: Bool, settings: Settings, suites: [Suite],
    cases: CaseList, gate: Gate
  ) {
    schemaVersion = RunReport.currentSchemaVersion
    self.tool = tool
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.interrupted = interrupted
    self.settings = settings
    self.suites = suites.map { s in
      var info = SuiteInfo(
        id: s.id, file: s.file, description: s.description, summary: RunSummary(cases.cases(ofSuite: s.id)),
        verdictMetrics: s.verdictMetrics.isEmpty ? nil : s.verdictMetrics)
      if !s.derivedMetrics.isEmpty {
        info.derivedMetrics = DerivedMetric.values(s.derivedMetrics, cases: Array(cases.cases(ofSuite: s.id)))
        info.derivedMetricDefinitions = s.derivedMetrics.map { .init(name: $0.name, value: $0.expression.text) }
      }
      return info
    }
    // One suite that has every case: the run's totals are the suite's (one pass over a large run's cases fewer).
    if self.suites.count == 1, self.suites[0].summary.total == cases.count {
      summary = self.suites[0].summary
    } else {
      summary = RunSummary(cases)
    }
    providers = ProviderStats.collect(cases)
    // Errors and skip reasons are only in cases kept whole and in packed cases flagged with an error.
    self.gate = RunReport.decide(gate, summary: summary, cases: cases.casesWithErrorsOrSkipReasons)
    self.cases = cases
  }

  /// The gate's decision over a run's cases: an unreachable endpoint or a spent budget is said as the reason.
  static func decide(_ gate: Gate, summary: RunSummary, cases: some Collection<CaseResult>) -> Gate.Decision {
    // An unreachable model, judge or embedding provider.
    let unreachable = cases.lazy.flatMap(\.attempts).first { $0.error?.kind == .unreachable }?.error?.message
    let budgetStop = cases.lazy.compactMap(\.skipReason).first { $0.hasPrefix("budget reached") }
    let firstError = cases.lazy.flatMap(\.attempts).compactMap(\.error).first { $0.kind != .cancelled }
    return gate.decide(summary, unreachable: unreachable, budgetStop: budgetStop, firstError: firstError)
  }

  /// The decision, or the plain gate's when none was set: what every report leads with.
  public var effectiveDecision: RunDecision {
    decision
      ?? RunDecision.decide(
        gate: gate, interrupted: interrupted, finished: summary.total - summary.skipped, total: summary.total)
  }

  /// Wall time of the run in seconds.
  public var durationSeconds: Double { finishedAt.timeIntervalSince(startedAt) }
}
