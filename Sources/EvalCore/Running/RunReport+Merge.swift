import Foundation

extension RunReport {
  /// The shards of one run (`--shard i/n`) as one report: every case once, suites in file order, cases
  /// grouped by suite and ordered by test line then case id; counts, provider statistics and the gate
  /// recomputed from the cases, never averaged; warnings said once. The verdict is left to the caller, which compares the
  /// merged cases with the baseline.
  public init(merging shards: [RunReport], gate: Gate) {
    var suites: [String: SuiteInfo] = [:]
    var cases: [CaseID: CaseResult] = [:]
    var retrieval: [String: RetrievalResult] = [:]
    for shard in shards {
      for s in shard.suites where suites[s.id] == nil { suites[s.id] = s }
      for c in shard.cases where cases[c.id] == nil { cases[c.id] = c }
      for r in shard.retrieval ?? [] where retrieval[r.fixture] == nil { retrieval[r.fixture] = r }
    }
    let ordered = suites.values.sorted { ($0.file, $0.id) < ($1.file, $1.id) }
    let position = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.id, $0) })
    let all = cases.values.sorted {
      (position[$0.suite] ?? .max, $0.line ?? 0, $0.id.rawValue) < (
        position[$1.suite] ?? .max, $1.line ?? 0, $1.id.rawValue
      )
    }
    schemaVersion = RunReport.currentSchemaVersion
    tool = shards.first?.tool ?? ToolInfo(name: "evalgate", version: "")
    startedAt = shards.map(\.startedAt).min() ?? Date()
    finishedAt = shards.map(\.finishedAt).max() ?? Date()
    interrupted = shards.contains { $0.interrupted }
    settings = shards.first?.settings ?? Settings(concurrency: 1, timeoutMs: 0)
    self.suites = ordered.map { s in
      var s = s
      s.summary = RunSummary(all.lazy.filter { $0.suite == s.id })
      // Derived metrics are computed again over every shard's cases, never taken from one shard.
      if let definitions = s.derivedMetricDefinitions {
        s.derivedMetrics = DerivedMetric.values(
          DerivedMetric.metrics(definitions), cases: all.filter { $0.suite == s.id })
      }
      return s
    }
    summary = RunSummary(all)
    providers = ProviderStats.collect(all)
    self.gate = RunReport.decide(gate, summary: summary, cases: all)
    self.cases = CaseList(all)
    verdict = nil
    // Each shard says the same notes (a skipped suite) or its own (a model mismatch): each once.
    var said: Set<String> = []
    let notes = shards.flatMap { $0.warnings ?? [] }.filter { said.insert($0).inserted }
    warnings = notes.isEmpty ? nil : notes
    // Graders: each provider's answers summed, its models each once.
    var graders: [String: ModelLedger.Entry] = [:]
    for entry in shards.flatMap({ $0.graders ?? [] }) {
      var merged = graders[entry.provider] ?? ModelLedger.Entry(provider: entry.provider, models: [], answers: 0)
      merged.answers += entry.answers
      for model in entry.models where !merged.models.contains(model) { merged.models.append(model) }
      graders[entry.provider] = merged
    }
    self.graders = graders.isEmpty ? nil : graders.values.sorted { $0.provider < $1.provider }
    add(retrieval: retrieval.values.sorted { ($0.file, $0.fixture) < ($1.file, $1.fixture) })
  }
}
